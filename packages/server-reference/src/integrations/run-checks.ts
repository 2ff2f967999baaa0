import type { IntegrationCheckResult, IntegrationService, IntegrationTestReport } from '@careos/contract';
import type { IntegrationSettings } from '../config/integrations-config.js';
import type { Providers } from '../providers/types.js';
import { checkOpenAI, checkStripe } from './api-key-checks.js';
import { CheckTimeout, UnreachableError } from './http-check.js';
import { checkSendGrid, checkTwilio } from './messaging-checks.js';
import { checkGoogle, checkMicrosoft } from './oauth-checks.js';
import { result } from './result.js';
import { sendTestEmail, sendTestSms } from './send-test.js';

/** Options of {@link runIntegrationChecks}. */
export interface IntegrationCheckOptions {
  /** Longest each check may take, in ms (default 10 000); a check still waiting then fails. */
  timeoutMs?: number;
  /** Also send the test SMS and email (seed step 4) once their service's check passed. */
  sendTest?: boolean;
  /** The providers the test messages go through (those the server selected); needed with `sendTest`. */
  providers?: Pick<Providers, 'sms' | 'email'>;
}

type Check = (signal: AbortSignal) => Promise<IntegrationCheckResult>;

/**
 * Checks every third-party service's credentials concurrently, each with its own timeout, and
 * reads only (see each check). Never throws: an unreachable service or a check's own error
 * becomes that service's `failed` result. `ok` is false when any configured service failed.
 */
export async function runIntegrationChecks(settings: IntegrationSettings, options: IntegrationCheckOptions = {}): Promise<IntegrationTestReport> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const checks: [IntegrationService, Check][] = [
    ['twilio', (signal) => checkTwilio(settings.twilio, signal)],
    ['sendgrid', (signal) => checkSendGrid(settings.sendgrid, signal)],
    ['google_calendar', (signal) => checkGoogle(settings.google, signal)],
    ['microsoft_outlook', (signal) => checkMicrosoft(settings.microsoft, signal)],
    ['openai', (signal) => checkOpenAI(settings.openai, signal)],
    ['stripe', (signal) => checkStripe(settings.stripe, signal)],
  ];
  const results = await Promise.all(checks.map(([service, check]) => withTimeout(service, check, timeoutMs)));
  if (options.sendTest) {
    if (!options.providers) throw new TypeError('runIntegrationChecks: sendTest needs the providers to send through');
    const { sms, email } = options.providers;
    await Promise.all([
      attachSend(results[0]!, () => sendTestSms(sms, settings.test.phoneNumber)),
      attachSend(results[1]!, () => sendTestEmail(email, settings.test.email)),
    ]);
  }
  return { ok: results.every((r) => r.status !== 'failed'), results };
}

/** Runs one check under its own abort signal, turning a timeout or an error into a failed result. */
async function withTimeout(service: IntegrationService, check: Check, timeoutMs: number): Promise<IntegrationCheckResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new CheckTimeout(Math.round(timeoutMs / 100) / 10)), timeoutMs);
  try {
    return await check(controller.signal);
  } catch (error) {
    const detail = error instanceof UnreachableError ? `No answer: ${error.message}` : `The check failed (${(error as Error)?.name ?? 'Error'})`;
    return result(service, 'failed', detail);
  } finally {
    clearTimeout(timer);
  }
}

/** Sends a test message when the service's check passed; a failed send fails the service. */
async function attachSend(checked: IntegrationCheckResult, send: () => Promise<IntegrationCheckResult['test_send'] & object>): Promise<void> {
  if (checked.status !== 'ok') return;
  const sent = await send();
  checked.test_send = sent;
  if (sent.status === 'failed') checked.status = 'failed';
}
