import { APIConnectionError, APIError, RequestValidationError } from '@careos/sdk';
import { CliError, ExitCode } from './exit-codes.js';

/** Maps any failure to a one-line message and an exit code. */
export function describeFailure(error: unknown): { message: string; exitCode: number; hint?: string } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode, ...(error.hint ? { hint: error.hint } : {}) };
  if (error instanceof APIError) {
    const details = error.details?.length ? ` (${error.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ')})` : '';
    // The SDK's message already ends with "(request id …)", the id to quote to support.
    return { message: `${error.message}${details}`, exitCode: error.status >= 500 ? ExitCode.UNAVAILABLE : ExitCode.API_ERROR };
  }
  if (error instanceof APIConnectionError) return { message: error.message, exitCode: ExitCode.UNAVAILABLE };
  if (error instanceof RequestValidationError) return { message: error.message, exitCode: ExitCode.USAGE };
  if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) return { message: 'Cancelled', exitCode: ExitCode.INTERRUPTED };
  return { message: error instanceof Error ? error.message : String(error), exitCode: ExitCode.FAILURE };
}
