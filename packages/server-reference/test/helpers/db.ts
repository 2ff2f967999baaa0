import { sql } from 'drizzle-orm';
import type { Database } from '../../src/index.js';

/** Counts rows of a table matching an optional condition (test inspection only). */
export async function count(db: Database, table: string, where = 'true', ...params: unknown[]): Promise<number> {
  let text = `select count(*)::int as n from ${table} where ${where}`;
  params.forEach((p, i) => (text = text.replace(`$${i + 1}`, `'${String(p).replaceAll("'", "''")}'`)));
  const rows = await db.rows<{ n: number }>(sql.raw(text));
  return Number(rows[0]!.n);
}

/** Rows of an ad-hoc query (test inspection only). */
export function query<T extends Record<string, unknown>>(db: Database, text: string): Promise<T[]> {
  return db.rows<T>(sql.raw(text));
}
