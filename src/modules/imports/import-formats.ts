import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parse as csvParser } from 'csv-parse';
import streamArray from 'stream-json/streamers/stream-array.js';
import type { importFormats } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { watched } from './body-stream.js';

// An import body, streamed, as numbered rows: an object each, or why the row is not one. Rows
// are numbered from 1 (the first NDJSON line, the first CSV record after the header, the first
// array element); a malformed row is reported and the rest go on, where the format allows.

export type ImportFormat = (typeof importFormats)[number];

/** One row of the body: its number, and the object it holds or why it holds none. */
export type BodyRow = { row: number; value: Record<string, unknown> } | { row: number; error: string };

/** The longest row accepted: a longer one is a row error (and never held whole in memory). */
export const MAX_ROW_BYTES = 1024 * 1024;

// Bytes that are not UTF-8 are refused, never read as U+FFFD.
const strictUtf8 = () => new TextDecoder('utf-8', { fatal: true });

/** The body, passed through as it is, failing (a 400) at the first byte that is not UTF-8. */
function utf8Only(body: Readable): Readable {
  const decoder = strictUtf8();
  return watched(body, (chunk) => {
    try {
      decoder.decode(chunk, { stream: true });
    } catch {
      // A body in another encoding is wrong as a whole, not in one row: the request's error.
      throw new AppError('bad_request', 'The body is not valid UTF-8.', { errors: [{ path: 'body', message: 'is not valid UTF-8' }] });
    }
  });
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const notObject = (row: number): BodyRow => ({ row, error: 'is not a JSON object' });

/** The rows of a body in `format`. A body that cannot go on (a JSON array broken off) ends with a row error. */
export function bodyRows(format: ImportFormat, body: Readable): AsyncGenerator<BodyRow> {
  if (format === 'csv') return csvRows(body);
  if (format === 'json') return arrayRows(body);
  return ndjsonRows(body);
}

/** NDJSON: one JSON object a line; a blank line is no row (a file's last newline is common). */
async function* ndjsonRows(body: Readable): AsyncGenerator<BodyRow> {
  let line = 1;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  const decoder = strictUtf8();
  const finish = (): BodyRow | null => {
    const bytes = Buffer.concat(pending);
    const row = line++;
    pending = [];
    pendingBytes = 0;
    if (tooLong) {
      tooLong = false;
      return { row, error: `is longer than ${MAX_ROW_BYTES} bytes` };
    }
    let text: string;
    try {
      text = decoder.decode(bytes).replace(/\r$/, '');
    } catch {
      return { row, error: 'is not valid UTF-8' };
    }
    if (text.trim() === '') return null;
    try {
      const value: unknown = JSON.parse(text);
      return isObject(value) ? { row, value } : notObject(row);
    } catch (err) {
      return { row, error: `is not valid JSON (${(err as Error).message})` };
    }
  };
  for await (const chunk of body as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      keep(chunk.subarray(start, end));
      const row = finish();
      if (row) yield row;
      start = end + 1;
    }
    keep(chunk.subarray(start));
  }
  if (pendingBytes > 0 || tooLong) {
    const row = finish();
    if (row) yield row;
  }

  // A line's bytes so far; past the limit only the fact is kept.
  function keep(part: Buffer) {
    if (tooLong || part.length === 0) return;
    if (pendingBytes + part.length > MAX_ROW_BYTES) {
      tooLong = true;
      pending = [];
      pendingBytes = 0;
      return;
    }
    pending.push(part);
    pendingBytes += part.length;
  }
}

/**
 * CSV with a header row (parsed by csv-parse): a record as { header: cell }, empty cells left
 * out. A record with more or fewer cells than the header is that row's error; a quote left open
 * ends the rows there. A header that names no column, or one twice, is row 0's error: no row is read.
 */
async function* csvRows(body: Readable): AsyncGenerator<BodyRow> {
  const parser = csvParser({ bom: true, skip_empty_lines: true, relax_quotes: true, relax_column_count: true, max_record_size: MAX_ROW_BYTES });
  // Records and the parser's error in the order they came: a record read before a quote left
  // open is still a row (an async iterator over the parser would drop it with the error).
  const queue: ({ cells: string[] } | { error: Error })[] = [];
  parser.on('data', (cells: string[]) => queue.push({ cells }));
  parser.on('error', (error: Error) => queue.push({ error }));
  const done = finished(parser).catch(() => undefined);
  let header: string[] | null = null;
  let row = 0;
  // The rows of what the queue holds; false once the rows have ended.
  function* drain(): Generator<BodyRow, boolean> {
    for (let item = queue.shift(); item; item = queue.shift()) {
      if ('error' in item) {
        yield { row: row + 1, error: `is not a valid CSV record; the rows end here (${item.error.message})` };
        return false;
      }
      const { cells } = item;
      if (!header) {
        header = cells.map((name) => name.trim());
        const twice = header.find((name, i) => header!.indexOf(name) !== i);
        if (header.includes('') || twice !== undefined) {
          yield { row: 0, error: twice !== undefined ? `the header names the column "${twice}" twice` : 'the header has a column without a name' };
          return false;
        }
        continue;
      }
      row += 1;
      if (cells.length !== header.length) {
        yield { row, error: `has ${cells.length} cells where the header has ${header.length}` };
        continue;
      }
      const value: Record<string, unknown> = {};
      cells.forEach((cell, i) => {
        if (cell !== '') value[header![i]!] = cell;
      });
      yield { row, value };
    }
    return true;
  }
  try {
    for await (const chunk of utf8Only(body) as AsyncIterable<Buffer>) {
      parser.write(chunk);
      if (!(yield* drain())) return;
    }
    parser.end();
  } catch (err) {
    if (err instanceof AppError) throw err; // the body itself failed (too large, the client left)
    parser.destroy(err as Error);
  }
  await done;
  yield* drain();
}

/** A JSON array, element by element (stream-json): a syntax error ends the rows there. */
async function* arrayRows(body: Readable): AsyncGenerator<BodyRow> {
  const elements = streamArray.withParserAsStream();
  const source = utf8Only(body);
  source.pipe(elements);
  source.once('error', (err) => elements.destroy(err));
  let row = 0;
  try {
    for await (const { value } of elements as AsyncIterable<{ key: number; value: unknown }>) {
      row += 1;
      yield isObject(value) ? { row, value } : notObject(row);
    }
  } catch (err) {
    if (err instanceof AppError) throw err; // the body itself failed (too large, the client left)
    yield { row: row + 1, error: `is not valid JSON; the rows end here (${(err as Error).message})` };
  }
}
