/**
 * Whether `error`, or what it wraps (drizzle wraps driver errors), is a PostgreSQL error of
 * SQLSTATE `code`, on `constraint` when given. The same on PGlite and PostgreSQL.
 */
export function sqlState(error: unknown, code: string, constraint?: string): boolean {
  for (let e = error as { code?: string; constraint?: string; constraint_name?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === code && (constraint === undefined || (e.constraint ?? e.constraint_name) === constraint)) return true;
  }
  return false;
}
