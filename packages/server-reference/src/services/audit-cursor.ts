import { ErrorCode, ErrorText } from '@careos/contract';
import { DomainError } from '../domain/errors.js';

/**
 * Audit lists page by chain position (`seq`), not by id: ids are time-sortable per instance,
 * but only `seq` gives the one order every instance agreed on. The cursor stays opaque.
 */
export function encodeAuditCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`, 'utf8').toString('base64url');
}

/** Reads a cursor back, rejecting anything {@link encodeAuditCursor} did not produce. */
export function decodeAuditCursor(cursor: string): number {
  const match = /^seq:([1-9]\d{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.invalidQuery, {
      message: 'cursor is not a next_cursor value returned by this list',
      details: [{ path: 'cursor', message: 'Unknown cursor' }],
    });
  }
  return Number(match[1]);
}
