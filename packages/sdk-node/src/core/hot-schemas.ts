import { compile, type z } from 'zod';

/**
 * Parses of one schema after which the SDK switches it to its compiled form. `z.compile()`
 * generates a parser for the schema (same results, same issues: on a failure the compiled
 * parser hands the input back to zod's own, which reports it), about seven times faster on
 * `InboundLead` (1 µs instead of 7). Compiling costs 10–25 ms once, about what 4,000 parses
 * save, so a script that sends a handful of requests never pays it and a busy client pays it
 * once, early (see docs/decisions.md, "SDK: per-call overhead").
 */
export const COMPILE_AFTER = 1_000;

const uses = new WeakMap<z.ZodType, number>();
const compiled = new WeakMap<z.ZodType, z.ZodType>();

/**
 * The schema to parse with: `schema` itself for its first {@link COMPILE_AFTER} - 1 uses, its
 * compiled clone from then on. Where code generation is not allowed (`new Function` refused),
 * `z.compile()` returns the schema unchanged and nothing else differs.
 */
export function hotSchema<S extends z.ZodType>(schema: S): S {
  const fast = compiled.get(schema);
  if (fast !== undefined) return fast as S;
  const count = (uses.get(schema) ?? 0) + 1;
  if (count < COMPILE_AFTER) {
    uses.set(schema, count);
    return schema;
  }
  const clone = compile(schema);
  compiled.set(schema, clone);
  uses.delete(schema);
  return clone;
}
