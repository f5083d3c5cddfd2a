import { AppError, type FieldError } from '../../errors.js';

/**
 * One problem a rule finds with one row: a field error, and what kind of refusal it is. Rules
 * are pure functions over a row, its stored state and facts loaded once for the whole batch,
 * so a batch of 5,000 rows costs a few statements and reports every row's every problem.
 */
export interface Problem extends FieldError {
  /** A value that is wrong (400, the default); a clash with what is stored (409); a move the state machine forbids (409). */
  kind?: 'invalid' | 'conflict' | 'transition';
  /** The error's detail, when this problem is the one the answer leads with. */
  detail?: string;
  /** With `transition`: the states allowed next. */
  allowed?: readonly string[];
}

const fieldErrorOf = ({ path, message }: Problem): FieldError => ({ path, message });

/**
 * All of a row's problems as one error. The code is the gravest kind among them (a forbidden
 * transition, then a conflict, then invalid input), and every problem is listed in `errors`.
 */
export function problemsError(problems: Problem[]): AppError {
  const transition = problems.find((p) => p.kind === 'transition');
  const conflict = problems.find((p) => p.kind === 'conflict');
  const errors = problems.map(fieldErrorOf);
  if (transition) {
    return new AppError('invalid_transition', transition.detail, { errors, extra: { allowed: [...(transition.allowed ?? [])] } });
  }
  if (conflict) return new AppError('conflict', conflict.detail, { errors });
  return new AppError('validation_failed', problems.find((p) => p.detail)?.detail ?? 'The input is not valid; see `errors`.', { errors });
}
