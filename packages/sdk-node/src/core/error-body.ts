import type { ErrorEnvelope } from '@careos/contract';

/** One field-level problem, as in the error envelope's `details`. */
export type ErrorDetail = NonNullable<ErrorEnvelope['details']>[number];

/** The fields of an error body this SDK reads; each is `undefined` when absent or mistyped. */
export interface ErrorBodyFields {
  error: string | undefined;
  code: string | undefined;
  message: string | undefined;
  requestId: string | undefined;
  details: readonly ErrorDetail[] | undefined;
  /** Seconds, from the 429 body's `retryAfter`. */
  retryAfter: number | undefined;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Reads the error envelope leniently: error bodies may come from proxies or older servers,
 * so nothing here may throw, and only well-typed fields are picked up.
 */
export function readErrorBody(body: unknown): ErrorBodyFields {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { error: undefined, code: undefined, message: undefined, requestId: undefined, details: undefined, retryAfter: undefined };
  }
  const record = body as Record<string, unknown>;
  const details = Array.isArray(record.details)
    ? record.details
        .filter((d): d is Record<string, unknown> => d !== null && typeof d === 'object')
        .map((d) => ({ path: str(d.path) ?? '', message: str(d.message) ?? '' }))
    : undefined;
  const retryAfter = typeof record.retryAfter === 'number' && Number.isFinite(record.retryAfter) && record.retryAfter >= 0 ? record.retryAfter : undefined;
  return {
    error: str(record.error),
    code: str(record.code),
    message: str(record.message),
    requestId: str(record.request_id),
    details,
    retryAfter,
  };
}
