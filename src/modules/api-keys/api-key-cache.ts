import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../context.js';
import { hashSecret } from './api-key-secret.js';

export type Caller = Omit<RequestContext, 'requestId' | 'log'>;

interface Entry {
  caller: Caller;
  /** When this instance must look the key up again (its revocation may have happened since). */
  until: number;
  /** The key's own expiry, which the cache never outlives. */
  expiresAt: number | null;
}

/** Keys remembered at most; the oldest goes first. */
const MAX_ENTRIES = 10_000;

/**
 * Authenticated keys, remembered by this instance for a few seconds (API_KEY_CACHE_MS) so a
 * busy client does not pay a key lookup per request. A key revoked through this instance is
 * forgotten at once; revoked elsewhere (another instance, the CLI of another process), it is
 * refused after at most the cache's lifetime. Entries are keyed by the key's hash.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();

  get(presented: string, now = Date.now()): Caller | undefined {
    const hash = hashSecret(presented);
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.until > now && (entry.expiresAt === null || entry.expiresAt > now)) return entry.caller;
    this.entries.delete(hash);
    return undefined;
  }

  set(presented: string, caller: Caller, ttlMs: number, expiresAt: Date | null): void {
    if (ttlMs <= 0) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hashSecret(presented), { caller, until: Date.now() + ttlMs, expiresAt: expiresAt?.getTime() ?? null });
  }

  /** Forgets a key (it was revoked here). */
  evict(keyId: string): void {
    for (const [hash, entry] of this.entries) if (entry.caller.apiKey.id === keyId) this.entries.delete(hash);
  }
}

// One cache per database handle: the app's auth hook and its key service share it.
const caches = new WeakMap<Db, ApiKeyCache>();
export const keyCacheOf = (db: Db): ApiKeyCache => {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new ApiKeyCache()));
  return cache;
};
