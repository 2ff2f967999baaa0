const SAFE_ELEMENT = /^[A-Za-z0-9_+.:-]+$/;

/**
 * A PostgreSQL array literal (`{a,b,c}`) to bind as one `text[]` parameter, so
 * `col = any($1::text[])` on a unique column probes its index once per element whatever the
 * planner's statistics say (the embedded database has no autovacuum to keep them fresh). Not
 * on a non-unique column: without statistics each element counts as 0.5 % of the table, so a
 * few dozen make a full scan look cheaper; probe those per element with a lateral subquery
 * (see the communications audit update in `recordResultsSql`). Only for
 * values this server generates or has normalised — ids, E.164 phones, blind-index tokens — which never need
 * quoting; anything else is refused.
 */
export function textArray(values: readonly string[]): string {
  for (const value of values) {
    if (!SAFE_ELEMENT.test(value)) throw new Error('textArray() only takes ids and normalised phone numbers');
  }
  return `{${values.join(',')}}`;
}
