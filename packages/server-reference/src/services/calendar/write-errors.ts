import { ErrorCode, ErrorText, type CalendarProvider } from '@careos/contract';
import { DomainError } from '../../domain/errors.js';
import { CalendarApiError } from './events-api.js';
import { CalendarReauthRequired } from './tokens.js';

/** The 409 for a calendar the caller has not connected. */
export function calendarNotConnected(provider: CalendarProvider): DomainError {
  return new DomainError(ErrorCode.CALENDAR_NOT_CONNECTED, ErrorText.calendarNotConnected, { message: `No ${provider} calendar is connected: connect it with GET /calendar/${provider}/connect` });
}

/** The 409 for a calendar whose grant the provider refused. */
export function calendarNeedsReauth(provider: CalendarProvider): DomainError {
  return new DomainError(ErrorCode.CALENDAR_NEEDS_REAUTH, ErrorText.calendarNeedsReauth, {
    message: `The ${provider} calendar no longer accepts CareOS (its grant was revoked or expired): connect it again with GET /calendar/${provider}/connect`,
  });
}

/** Whether a provider's answer means "try again later" (unreachable, rate limited, failing). */
export function isTransient(error: CalendarApiError): boolean {
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/**
 * What a failed write to a calendar means to the caller, as the contract's error: a grant the
 * provider refused (409 `CALENDAR_NEEDS_REAUTH`), a provider that could not be reached or kept
 * failing (503 `PROVIDER_UNAVAILABLE`), an event it refused (422 `CALENDAR_EVENT_REFUSED`,
 * with its short reason code, never its message, which may quote the event). Anything else
 * (the contract's own errors, bugs) is returned as it is.
 */
export function calendarWriteError(provider: CalendarProvider, error: unknown): unknown {
  if (error instanceof CalendarReauthRequired) return calendarNeedsReauth(provider);
  if (!(error instanceof CalendarApiError)) return error;
  if (isTransient(error)) return new DomainError(ErrorCode.PROVIDER_UNAVAILABLE, ErrorText.calendarProviderUnavailable, { message: `The ${provider} calendar API did not answer in time or kept failing; the event may or may not exist there` });
  // The token was refused even after a renewal: the grant no longer works for this call.
  if (error.status === 401) return calendarNeedsReauth(provider);
  return new DomainError(ErrorCode.CALENDAR_EVENT_REFUSED, ErrorText.calendarEventRefused, { message: `The ${provider} calendar API answered ${error.status} (${error.code})` });
}

/** A short code for a failure, for logs and the push rows: never the provider's message. */
export function failureCode(error: unknown): string {
  if (error instanceof CalendarReauthRequired) return 'NEEDS_REAUTH';
  if (error instanceof CalendarApiError) return error.status === 0 ? `network_${error.code}`.slice(0, 64) : `http_${error.status}_${error.code}`.slice(0, 64);
  if (error instanceof DomainError) return error.code;
  return 'internal';
}
