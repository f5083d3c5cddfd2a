import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// A key reads `iik_<12 hex>_<43 base64url>`: the recognisable `iik_` marks it in logs and
// secret scanners, the hex part finds the row, and only a SHA-256 of the whole key is stored.
// The secret carries 256 random bits, so a fast hash is enough (no dictionary to guess from).
const KEY_PATTERN = /^(iik_[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedKey {
  prefix: string;
  secret: string;
  secretHash: string;
}

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function generateKey(): GeneratedKey {
  const prefix = `iik_${randomBytes(6).toString('hex')}`;
  const secret = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { prefix, secret, secretHash: hashSecret(secret) };
}

/** The lookup prefix of a presented key, or null when it cannot be one of ours. */
export function parseKey(presented: string): { prefix: string } | null {
  const match = KEY_PATTERN.exec(presented);
  return match ? { prefix: match[1] as string } : null;
}

/** Constant-time comparison of a presented key with a stored hash. */
export function secretMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
