/**
 * The one table of error codes. REST (problem+json) and GraphQL (extensions.code) both
 * translate from here, so a new error cannot reach one surface and not the other.
 */
export const ERRORS = {
  validation_failed: { status: 400, title: 'Validation failed', graphql: 'BAD_USER_INPUT' },
  bad_request: { status: 400, title: 'Bad request', graphql: 'BAD_REQUEST' },
  unauthorized: { status: 401, title: 'Unauthorized', graphql: 'UNAUTHENTICATED' },
  forbidden: { status: 403, title: 'Forbidden', graphql: 'FORBIDDEN' },
  not_found: { status: 404, title: 'Not found', graphql: 'NOT_FOUND' },
  method_not_allowed: { status: 405, title: 'Method not allowed', graphql: 'BAD_REQUEST' },
  not_acceptable: { status: 406, title: 'Not acceptable', graphql: 'BAD_REQUEST' },
  conflict: { status: 409, title: 'Conflict', graphql: 'CONFLICT' },
  invalid_transition: { status: 409, title: 'Invalid transition', graphql: 'CONFLICT' },
  cursor_expired: { status: 410, title: 'Cursor expired', graphql: 'CURSOR_EXPIRED' },
  precondition_failed: { status: 412, title: 'Precondition failed', graphql: 'CONFLICT' },
  payload_too_large: { status: 413, title: 'Payload too large', graphql: 'BAD_REQUEST' },
  uri_too_long: { status: 414, title: 'URI too long', graphql: 'BAD_REQUEST' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type', graphql: 'BAD_REQUEST' },
  idempotency_conflict: { status: 422, title: 'Idempotency key reused', graphql: 'CONFLICT' },
  rate_limited: { status: 429, title: 'Too many requests', graphql: 'RATE_LIMITED' },
  headers_too_large: { status: 431, title: 'Request header fields too large', graphql: 'BAD_REQUEST' },
  internal: { status: 500, title: 'Internal server error', graphql: 'INTERNAL_SERVER_ERROR' },
  unavailable: { status: 503, title: 'Service unavailable', graphql: 'SERVICE_UNAVAILABLE' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export interface FieldError {
  path: string;
  message: string;
}

/** A problem lists at most this many field errors; `errorCount` says how many there were. */
export const MAX_LISTED_ERRORS = 100;

export interface AppErrorOptions {
  errors?: FieldError[];
  /** Extra members of the problem body and GraphQL extensions, e.g. `allowed`, `dependents`. */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** A domain error: services throw only these; adapters translate them. */
export class AppError extends Error {
  readonly status: number;
  readonly errors?: FieldError[];
  readonly extra?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    detail?: string,
    options: AppErrorOptions = {},
  ) {
    super(detail ?? ERRORS[code].title, { cause: options.cause });
    this.name = 'AppError';
    this.status = ERRORS[code].status;
    // A body of 100,000 bad rows must not answer with 100,000 errors: the first 100, and the count.
    const errors = options.errors;
    this.errors = errors && errors.length > MAX_LISTED_ERRORS ? errors.slice(0, MAX_LISTED_ERRORS) : errors;
    this.extra = errors?.length ? { ...options.extra, errorCount: errors.length } : options.extra;
    this.headers = options.headers;
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;

// SQLSTATEs and socket errors that mean "the database is not there right now": connections
// refused, dropped or killed (57P01 is what pg_terminate_backend sends), too many clients.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08006']);
// The server gave up on our work to protect itself: a statement or lock wait that ran past its
// bound, an idle transaction, a deadlock or serialization failure. Retrying soon may well succeed.
const CONTENTION_SQLSTATES = new Set(['57014', '55P03', '25P03', '40P01', '40001']);
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
];

type Outage = 'down' | 'contention';

function outageOf(err: unknown, depth = 0): Outage | null {
  if (!err || typeof err !== 'object' || depth > 5) return null;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(e.code) || UNAVAILABLE_SOCKET_CODES.has(e.code)) return 'down';
    if (CONTENTION_SQLSTATES.has(e.code)) return 'contention';
  }
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => (e.message as string).includes(m))) return 'down';
  if (err instanceof AggregateError) {
    for (const inner of err.errors) {
      const found = outageOf(inner, depth + 1);
      if (found) return found;
    }
    return null;
  }
  return outageOf(e.cause, depth + 1);
}

/** True when an error (or its cause) says the database cannot serve now, not that a query was wrong. */
export const isDatabaseUnavailable = (err: unknown): boolean => outageOf(err) !== null;

/** Any thrown value as an AppError: unknown failures become `internal`, with no detail leaked. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const outage = outageOf(err);
  if (outage) {
    return new AppError('unavailable', 'The database is unavailable; retry shortly.', {
      headers: { 'retry-after': outage === 'down' ? '5' : '1' },
      cause: err,
    });
  }
  return new AppError('internal', 'An unexpected error occurred.', { cause: err });
}

/**
 * How both translators log an error: a failure of ours (5xx) at error level with its cause
 * (the logger's serializer withholds a statement's values); a refused request at info, by code.
 */
export function logAppError(log: { error(obj: object, msg: string): void; info(obj: object, msg: string): void }, err: AppError): void {
  if (err.status >= 500) log.error({ err: err.cause ?? err, code: err.code }, 'request failed');
  else log.info({ code: err.code }, err.message);
}
