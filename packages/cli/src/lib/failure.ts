import { APIConnectionError, APIError, InsufficientPermissionError, NoConsentError, RequestValidationError } from '@careos/sdk';
import { CliError, ExitCode } from './exit-codes.js';

/** Maps any failure to a one-line message and an exit code. */
export function describeFailure(error: unknown): { message: string; exitCode: number; hint?: string } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode, ...(error.hint ? { hint: error.hint } : {}) };
  if (error instanceof APIError) {
    const details = error.details?.length ? ` (${error.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ')})` : '';
    // The SDK's message already ends with "(request id …)", the id to quote to support.
    const hint = hintFor(error);
    return { message: `${error.message}${details}`, exitCode: error.status >= 500 ? ExitCode.UNAVAILABLE : ExitCode.API_ERROR, ...(hint ? { hint } : {}) };
  }
  if (error instanceof APIConnectionError) return { message: error.message, exitCode: ExitCode.UNAVAILABLE };
  if (error instanceof RequestValidationError) return { message: error.message, exitCode: ExitCode.USAGE };
  if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) return { message: 'Cancelled', exitCode: ExitCode.INTERRUPTED };
  return { message: error instanceof Error ? error.message : String(error), exitCode: ExitCode.FAILURE };
}

/**
 * What to do about the integration API's typed refusals. Both are the client's decision, not a
 * fault to retry, and both carry a duty the seed puts on the partner.
 */
function hintFor(error: APIError): string | undefined {
  if (error instanceof NoConsentError) return 'The client has not consented to this therapist, or revoked consent: purge any data you hold about them; retrying will not help.';
  if (error instanceof InsufficientPermissionError) return "The client's permission level (BASIC, STANDARD, FULL) is too low for this data; only the client can raise it.";
  return undefined;
}
