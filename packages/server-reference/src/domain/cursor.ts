import { ErrorCode, ErrorText } from '@careos/contract';
import { DomainError } from './errors.js';
import { isId, type IdPrefix } from './ids.js';

/**
 * List cursors are opaque to callers: the base64url of the last id of the page. Lists are
 * ordered by id (time-sortable), so "the next page" is simply "ids below this one".
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

/** Reads a cursor back, rejecting anything this server did not produce. */
export function decodeCursor(cursor: string, prefix: IdPrefix): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isId(prefix, id)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.invalidQuery, {
      message: 'cursor is not a next_cursor value returned by this list',
      details: [{ path: 'cursor', message: 'Unknown cursor' }],
    });
  }
  return id;
}

/** Splits a fetched `limit + 1` rows into the page and its `next_cursor`. */
export function page<T extends { id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(items[items.length - 1]!.id) };
}
