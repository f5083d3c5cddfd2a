import type { FastifyError } from 'fastify';
import { AppError, toAppError, type ErrorCode, type FieldError } from '../errors.js';
import { issueErrors } from './field-errors.js';

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'headers_too_large',
  503: 'unavailable',
};

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: { issue?: Parameters<typeof issueErrors>[0] };
}

// Paths name the field as the caller wrote it: `emails.2` in a body, `query.limit` elsewhere.
function fieldErrors(err: FastifyError): FieldError[] {
  const where = err.validationContext;
  const prefix = where && where !== 'body' ? (where === 'querystring' ? 'query' : where) : '';
  return (err.validation as ValidationIssue[]).flatMap((issue) => {
    if (issue.params?.issue) return issueErrors(issue.params.issue, prefix);
    const field = (issue.instancePath ?? '').split('/').filter(Boolean).join('.');
    return [{ path: [prefix, field].filter(Boolean).join('.') || '(root)', message: issue.message ?? 'is invalid' }];
  });
}

/**
 * Translates whatever reached the error handler into an AppError: Fastify's own errors
 * (validation, body parsing, limits) keep their meaning, anything unknown becomes `internal`.
 */
export function fromFastifyError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const fe = err as FastifyError;
  if (fe && Array.isArray(fe.validation)) {
    return new AppError('validation_failed', 'The request is not valid; see `errors`.', { errors: fieldErrors(fe) });
  }
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = BY_STATUS[status] ?? 'bad_request';
    if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (status === 400 && err instanceof SyntaxError)) {
      return new AppError('bad_request', 'The body is not valid JSON.');
    }
    // Fastify's own 4xx messages describe the request (e.g. "Body is too large"), never internals.
    return new AppError(code, fe.message, { cause: err });
  }
  return toAppError(err);
}
