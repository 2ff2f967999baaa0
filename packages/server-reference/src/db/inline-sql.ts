import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

const dialect = new PgDialect();

/**
 * A value as an SQL literal. Strings are single-quoted with quotes doubled, which is the
 * complete escaping rule while `standard_conforming_strings` is on (checked when the
 * database opens): backslashes are then ordinary characters.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('Cannot inline a non-finite number');
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : JSON.stringify(value);
  if (text.includes('\u0000')) throw new Error('Cannot inline a string containing NUL');
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Renders a drizzle `sql` template as one self-contained statement, parameters inlined as
 * literals. PGlite runs such text through the simple-query protocol in a single call into
 * the engine, instead of the five round trips (parse, describe, bind, describe, execute) a
 * parameterised query costs — a large share of a small statement's time on the embedded
 * database. Only used for statements this server writes (the templates hold no `$` text).
 */
export function inlineSql(query: SQL): string {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return text.replace(/\$(\d+)/g, (_, index: string) => sqlLiteral(params[Number(index) - 1]));
}

