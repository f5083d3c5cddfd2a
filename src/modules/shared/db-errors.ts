import { postgresErrorIn } from '../../db/db-error-summary.js';
import { AppError } from '../../errors.js';


/**
 * Constraint violations as domain errors. Services check first, so these fire only when a
 * concurrent request changed things in between: the answer is the same as the check's.
 * `paths` maps constraint names to the input field they concern.
 */
export function translateDbError(err: unknown, paths: Record<string, string>, entity: string): never {
  const pg = postgresErrorIn(err) as { code?: string; constraint?: string } | undefined;
  const path = pg?.constraint ? paths[pg.constraint] : undefined;
  if (pg?.code === '23505') {
    const field = path ?? (pg.constraint?.endsWith('_external_id_key') ? 'externalId' : undefined);
    throw new AppError('conflict', `Another ${entity} already has this ${field ?? 'key'}.`, {
      errors: field ? [{ path: field, message: 'is already taken' }] : undefined,
      cause: err,
    });
  }
  if (pg?.code === '23503' && path) {
    throw new AppError('validation_failed', 'A referenced record does not exist.', {
      errors: [{ path, message: 'does not exist' }],
      cause: err,
    });
  }
  if (pg?.code === '23514' || pg?.code === '23502' || pg?.code === '22P02') {
    throw new AppError('validation_failed', 'The input breaks a rule of the data model.', {
      errors: [{ path: path ?? '(root)', message: 'is not allowed' }],
      cause: err,
    });
  }
  throw err;
}
