import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../errors.js';
import { unstorableText } from '../modules/shared/storable-text.js';

// Text that PostgreSQL cannot store must be refused where it enters, with the field named:
// a NUL character (text and jsonb refuse it), a lone UTF-16 surrogate (it would be stored as
// U+FFFD without a word), bytes that are not UTF-8 (the same). Deep JSON is refused before it
// is parsed: a merge patch nested 5,000 deep would overflow the stack of whatever walks it.

/** The deepest JSON a body (or GraphQL `variables`) may nest: objects and arrays, 32 levels. */
export const MAX_JSON_DEPTH = 32;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

const badRequest = (detail: string, path = '(root)') =>
  new AppError('bad_request', detail, { errors: [{ path, message: detail.replace(/\.$/, '') }] });

/** Throws when JSON text nests deeper than MAX_JSON_DEPTH (one pass, strings skipped). */
export function assertJsonDepth(text: string, path = '(root)'): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) throw badRequest(`JSON may nest at most ${MAX_JSON_DEPTH} levels deep.`, path);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

export function assertStorableText(value: unknown, prefix = ''): void {
  const errors = unstorableText(value, prefix);
  if (errors.length) throw new AppError('validation_failed', 'The input holds text that cannot be stored; see `errors`.', { errors });
}

/**
 * Query parameters whose percent-encoding is not UTF-8 (`?q=%FF`, an encoded surrogate): the
 * query-string parser keeps those as the literal text `%FF`, which would be searched for as is.
 */
function undecodableQuery(url: string): FieldError[] {
  const at = url.indexOf('?');
  if (at < 0) return [];
  const errors: FieldError[] = [];
  for (const pair of url.slice(at + 1).split('&')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    for (const part of eq < 0 ? [name] : [name, pair.slice(eq + 1)]) {
      try {
        decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        errors.push({ path: `query.${name}`, message: 'must be percent-encoded UTF-8' });
        break;
      }
    }
  }
  return errors;
}

/** preValidation hook: the query string and path parameters, as sent and as the router decoded them. */
export async function guardQueryAndParams(request: FastifyRequest): Promise<void> {
  const errors = [...undecodableQuery(request.url), ...unstorableText(request.query, 'query'), ...unstorableText(request.params, 'params')];
  if (errors.length) throw new AppError('validation_failed', 'The query string or path holds text that cannot be stored; see `errors`.', { errors });
}

/**
 * JSON bodies (`application/json`, `application/merge-patch+json`): strict UTF-8, bounded
 * depth, Fastify's own parser (which refuses `__proto__`), then storable strings.
 */
export default fp(
  async (app) => {
    const parseJson = app.getDefaultJsonParser('error', 'error');
    const parser = (request: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void) => {
      let text: string;
      try {
        text = strictUtf8.decode(body);
        assertJsonDepth(text);
      } catch (err) {
        return done(err instanceof AppError ? err : badRequest('The body is not valid UTF-8.'));
      }
      parseJson(request, text, (err: Error | null, value?: unknown) => {
        if (err) return done(err);
        try {
          assertStorableText(value);
        } catch (problem) {
          return done(problem as Error);
        }
        done(null, value);
      });
    };
    app.removeContentTypeParser(['application/json', 'text/plain']);
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parser);
    // PATCH bodies are merge patches; the media type of RFC 7396 is JSON underneath.
    app.addContentTypeParser('application/merge-patch+json', { parseAs: 'buffer' }, parser);
  },
  { name: 'input-guard' },
);
