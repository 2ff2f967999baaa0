import type { ErrorCode, ErrorDetail } from '@careos/contract';
import type { z } from 'zod';

/** A field-level problem, as carried in the error envelope's `details`. */
export type ErrorDetailItem = z.infer<typeof ErrorDetail>;

/** Options of {@link DomainError}. */
export interface DomainErrorOptions {
  /** What the caller should change (the envelope's `message`). */
  message?: string;
  details?: ErrorDetailItem[];
}

/**
 * An expected failure raised by a service: it carries the contract's `code` and exact `error`
 * string, and the HTTP layer maps the code to a status. Services throw these and never
 * mention HTTP themselves.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  /** Extra guidance for the caller. */
  readonly hint: string | undefined;
  /** Field-level problems. */
  readonly details: ErrorDetailItem[] | undefined;

  constructor(
    readonly code: ErrorCode,
    readonly error: string,
    options: DomainErrorOptions = {},
  ) {
    super(options.message ? `${error}: ${options.message}` : error);
    this.hint = options.message;
    this.details = options.details;
  }
}
