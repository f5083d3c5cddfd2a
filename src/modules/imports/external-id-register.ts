// The external IDs an import has read so far, each with the row that had it first, so that a
// later row with one fails ("appears earlier in this file"). A file of a million rows names a
// million of them: kept as a Map of their strings, they were most of an import's growth in
// memory. Here each costs a small-integer hash in a Map, its row number, and its characters in
// one joined string per thousand; a hash shared by two IDs is told apart by those characters.

const CHUNK = 1000;
// A hash V8 keeps as a small integer (31 bits at most): no number object per entry.
const HASH_BITS = 30;
// External IDs are stored text, which never holds a NUL (storable-text.ts refuses it first).
const SEPARATOR = '\u0000';

/** FNV-1a over UTF-16 code units, to HASH_BITS bits. */
export function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) & ((1 << HASH_BITS) - 1);
}

export class ExternalIdRegister {
  /** Hash → the index of the first ID with it, or of every one (a shared hash). */
  private readonly byHash = new Map<number, number | number[]>();
  /** Index → the row that had the ID. */
  private readonly rows: number[] = [];
  /** The IDs by index, a thousand to a string; the last chunk still as a list. */
  private readonly chunks: string[] = [];
  private open: string[] = [];

  get size(): number {
    return this.rows.length;
  }

  /** The row that had `externalId` first; or, when none did, records it for `row` and returns undefined. */
  firstRowOf(externalId: string, row: number): number | undefined {
    const hash = hashOf(externalId);
    const known = this.byHash.get(hash);
    if (known !== undefined) {
      for (const index of typeof known === 'number' ? [known] : known) if (this.idAt(index) === externalId) return this.rows[index];
    }
    const index = this.rows.length;
    this.rows.push(row);
    this.open.push(externalId);
    if (this.open.length === CHUNK) {
      this.chunks.push(this.open.join(SEPARATOR));
      this.open = [];
    }
    this.byHash.set(hash, known === undefined ? index : typeof known === 'number' ? [known, index] : [...known, index]);
    return undefined;
  }

  private idAt(index: number): string {
    const chunk = Math.floor(index / CHUNK);
    return chunk < this.chunks.length ? this.chunks[chunk]!.split(SEPARATOR)[index % CHUNK]! : this.open[index % CHUNK]!;
  }
}
