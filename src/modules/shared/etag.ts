import { AppError } from '../../errors.js';

/** A record's ETag is its version: strong, and the optimistic-concurrency token. */
export const etagOf = (version: number): string => `"${version}"`;

const tags = (header: string) => header.split(',').map((t) => t.trim().replace(/^W\//, ''));

/** `If-None-Match`: true when the caller already has this version (answer 304). */
export function notModified(header: string | undefined, version: number): boolean {
  if (!header) return false;
  const list = tags(header);
  return list.includes('*') || list.includes(etagOf(version));
}

/** The version an `If-Match` header demands, or undefined when any will do. */
export function expectedVersionFrom(header: string | undefined): number | undefined {
  if (!header || header.trim() === '*') return undefined;
  const match = /^"(\d+)"$/.exec(header.trim());
  if (!match) {
    throw new AppError('bad_request', 'If-Match must be an ETag from this API, e.g. "3", or *.', {
      errors: [{ path: 'headers.if-match', message: 'must be a quoted version, e.g. "3"' }],
    });
  }
  return Number(match[1]);
}
