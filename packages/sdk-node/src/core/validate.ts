import type { z } from 'zod';
import { RequestValidationError } from './errors.js';

/**
 * Parses one part of a request with its contract schema and returns the parsed value (defaults
 * applied, unknown keys stripped), or throws {@link RequestValidationError} listing every
 * problem by path. zod messages name the expected shape, never the value given, so the error
 * is safe to log even when the input held a phone number.
 */
export function validatePart<S extends z.ZodType>(schema: S, value: unknown, location: 'body' | 'query' | 'params'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new RequestValidationError(
    location,
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  );
}
