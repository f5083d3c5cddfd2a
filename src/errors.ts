/**
 * The one table of error codes. REST (problem+json) and GraphQL (extensions.code) both
 * translate from here, so a new error cannot reach one surface and not the other.
 */
export const ERRORS = {
  validation_failed: { status: 400, title: 'Validation failed', graphql: 'BAD_USER_INPUT' },
  bad_request: { status: 400, title: 'Bad request', graphql: 'BAD_USER_INPUT' },
  unauthorized: { status: 401, title: 'Unauthorized', graphql: 'UNAUTHENTICATED' },
  forbidden: { status: 403, title: 'Forbidden', graphql: 'FORBIDDEN' },
  not_found: { status: 404, title: 'Not found', graphql: 'NOT_FOUND' },
  method_not_allowed: { status: 405, title: 'Method not allowed', graphql: 'BAD_REQUEST' },
  not_acceptable: { status: 406, title: 'Not acceptable', graphql: 'BAD_REQUEST' },
  conflict: { status: 409, title: 'Conflict', graphql: 'CONFLICT' },
  invalid_transition: { status: 409, title: 'Invalid transition', graphql: 'CONFLICT' },
  precondition_failed: { status: 412, title: 'Precondition failed', graphql: 'CONFLICT' },
  payload_too_large: { status: 413, title: 'Payload too large', graphql: 'BAD_USER_INPUT' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type', graphql: 'BAD_REQUEST' },
  idempotency_conflict: { status: 422, title: 'Idempotency key reused', graphql: 'CONFLICT' },
  rate_limited: { status: 429, title: 'Too many requests', graphql: 'RATE_LIMITED' },
  internal: { status: 500, title: 'Internal server error', graphql: 'INTERNAL_SERVER_ERROR' },
  unavailable: { status: 503, title: 'Service unavailable', graphql: 'SERVICE_UNAVAILABLE' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export interface FieldError {
  path: string;
  message: string;
}

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
    this.errors = options.errors;
    this.extra = options.extra;
    this.headers = options.headers;
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;

// SQLSTATE classes and socket errors that mean "the database is not there right now".
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08006']);
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
];

/** True when an error (or its cause) says the database is unreachable, not that a query was wrong. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATES.has(e.code) || UNAVAILABLE_SOCKET_CODES.has(e.code))) {
    return true;
  }
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => (e.message as string).includes(m))) {
    return true;
  }
  if (err instanceof AggregateError) return err.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** Any thrown value as an AppError: unknown failures become `internal`, with no detail leaked. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  if (isDatabaseUnavailable(err)) {
    return new AppError('unavailable', 'The database is unavailable; retry shortly.', {
      headers: { 'retry-after': '5' },
      cause: err,
    });
  }
  return new AppError('internal', 'An unexpected error occurred.', { cause: err });
}
