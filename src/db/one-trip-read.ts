import { createHash } from 'node:crypto';
import type pg from 'pg';
import pgUtils from 'pg/lib/utils';

/**
 * A read-only tenant transaction whose opening rides with its first statement: BEGIN, the tenant
 * settings and `EXECUTE` of a server-side prepared statement go as one simple-protocol message,
 * so a read holds its connection for one round trip and PostgreSQL plans each statement shape
 * once per connection instead of once per request (with RLS and the role switch, planning is
 * most of a small read's cost; bench/README.md has the figures).
 *
 * Drizzle is handed this object as its client: it calls `query(config, values)` as it would on
 * a pg client. Values are turned into text exactly as node-postgres would send them as
 * parameters (`prepareValue`) and quoted by node-postgres's `escapeLiteral`; a value that has
 * no literal form here (bytes, a NUL character) sends its statement the ordinary way instead.
 *
 * Prepared statements live on the server connection: behind a pooler in transaction mode
 * (PgBouncer) a later transaction may run on another one, so this is behind the
 * DATABASE_PREPARED_STATEMENTS switch; off, reads take the ordinary path.
 */
export class OneTripRead {
  /** The statements that open the transaction, until they are sent with the first query. */
  private opening: string | null = null;
  /** For a read of one statement: COMMIT goes in the same message, and a second statement is a bug. */
  private oneStatement = false;
  /** Where the transaction is on the server: not begun, open, or begun and committed in one message. */
  state: 'unsent' | 'open' | 'committed' = 'unsent';
  /** A message that held a PREPARE failed: whether the statement exists is unknown. */
  uncertain = false;
  private readonly prepared = new Set<string>();

  constructor(private readonly client: pg.PoolClient) {}

  /** Starts a read: `opening` goes out with the first statement (or never, if there is none). */
  begin(opening: string, options: { oneStatement?: boolean } = {}): void {
    this.opening = opening;
    this.oneStatement = options.oneStatement ?? false;
    this.state = 'unsent';
    this.uncertain = false;
  }

  async query(config: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    if (this.state === 'committed') throw new Error('a read declared as one statement made a second one');
    const text = typeof config === 'string' ? config : config.text;
    const literals = config && typeof config === 'object' && config.name ? null : literalsOf(values ?? []);
    if (literals === null) {
      await this.flushOpening();
      return this.client.query(config as pg.QueryConfig, values);
    }
    const name = statementName(text);
    const keep = this.prepared.has(name) || this.prepared.size < MAX_PREPARED_PER_CONNECTION;
    const args = literals.length ? `(${literals.join(', ')})` : '';
    const closing = this.oneStatement && this.opening !== null;
    const statements = [
      ...(this.opening === null ? [] : [this.opening]),
      ...(this.prepared.has(name) ? [] : [`prepare ${name} as ${text}`]),
      `execute ${name}${args}`,
      // Past the cap a statement is planned each time, as an unnamed one would be.
      ...(keep ? [] : [`deallocate ${name}`]),
      ...(closing ? ['commit'] : []),
    ];
    const preparing = !this.prepared.has(name);
    this.opening = null;
    this.state = 'open';
    let results: pg.QueryResult | pg.QueryResult[];
    try {
      const { rowMode, types } = (typeof config === 'string' ? {} : config) as pg.QueryArrayConfig;
      results = (await this.client.query({ text: statements.join('; '), rowMode, types } as pg.QueryArrayConfig)) as unknown as
        | pg.QueryResult
        | pg.QueryResult[];
    } catch (err) {
      if (preparing) this.uncertain = true;
      throw err;
    }
    if (preparing && keep) this.prepared.add(name);
    if (closing) this.state = 'committed';
    if (!Array.isArray(results)) return results;
    return results[results.length - 1 - (keep ? 0 : 1) - (closing ? 1 : 0)]!;
  }

  private async flushOpening(): Promise<void> {
    if (this.opening === null) return;
    const opening = this.opening;
    this.opening = null;
    this.state = 'open';
    // The statement that follows goes the ordinary way: the COMMIT cannot ride with it.
    this.oneStatement = false;
    await this.client.query(opening);
  }
}

/** Enough for every statement shape of the read path; bounds the server memory plans take. */
const MAX_PREPARED_PER_CONNECTION = 200;

const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `icrm_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    if (names.size < 10_000) names.set(text, name);
  }
  return name;
}

/** Each value as the SQL literal of the text node-postgres would send for it; null if one has none. */
function literalsOf(values: unknown[]): string[] | null {
  const out: string[] = [];
  for (const value of values) {
    const text = pgUtils.prepareValue(value) as string | Buffer | null;
    if (text === null) {
      out.push('NULL');
      continue;
    }
    // Bytes have no plain literal; a NUL would end the message's C string early.
    if (typeof text !== 'string' || text.includes('\0')) return null;
    out.push(pgUtils.escapeLiteral(text));
  }
  return out;
}
