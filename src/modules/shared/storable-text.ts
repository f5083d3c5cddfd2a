import type { FieldError } from '../../errors.js';

// Text PostgreSQL cannot store as given: a NUL character (text and jsonb refuse it), a lone
// UTF-16 surrogate (it would be stored as U+FFFD without a word). Request bodies are checked
// where they enter (plugins/input-guard.ts); an import checks each row it reads.

const problemOf = (text: string): string | null => {
  if (text.includes('\u0000')) return 'must not contain a NUL character (U+0000)';
  if (!text.isWellFormed()) return 'must be valid Unicode (it holds a lone surrogate)';
  return null;
};

/** Every string (and object key) that PostgreSQL could not store as given, by path. */
export function unstorableText(value: unknown, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  const stack: [unknown, string][] = [[value, prefix]];
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      const problem = problemOf(item);
      if (problem) errors.push({ path: path || '(root)', message: problem });
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        const childPath = path ? `${path}.${key}` : key;
        const keyProblem = problemOf(key);
        if (keyProblem) errors.push({ path: childPath, message: `name ${keyProblem}` });
        stack.push([child, childPath]);
      }
    }
  }
  return errors;
}


/**
 * Text the service itself stores that quotes its input (an import's error row: a field's name,
 * an external ID, a parser's message with the bytes it choked on): made storable, a NUL and a
 * lone surrogate each shown as U+FFFD.
 */
export const storableText = (text: string): string => text.replaceAll('\u0000', '\uFFFD').toWellFormed();
