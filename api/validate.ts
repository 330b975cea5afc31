import type { z } from 'zod';
import { ValidationError } from './errors';

/** Parses with a schema; any failure becomes one `validation_failed` problem listing every field. */
export function parse<S extends z.ZodTypeAny>(
  schema: S,
  input: unknown,
  where: 'body' | 'query' | 'params' | 'headers' = 'body',
): z.output<S> {
  const result = schema.safeParse(input ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), message: 'unknown field' }));
      }
      const field = issue.path.join('.') || `(${where})`;
      const message =
        issue.code === 'invalid_type' && issue.received === 'undefined' ? 'required' : issue.message;
      return [{ field, message }];
    }),
  );
}
