import type { IntegrationCheckResult, IntegrationService } from '@careos/contract';

/** The name each service has in the summary: the seed's labels, then OpenAI and Stripe. */
export const SERVICE_NAMES: Readonly<Record<IntegrationService, string>> = {
  twilio: 'Twilio',
  sendgrid: 'Sendgrid',
  google_calendar: 'GoogleCalendar',
  microsoft_outlook: 'Outlook',
  openai: 'OpenAI',
  stripe: 'Stripe',
};

/** A result of `service` with its summary name. */
export function result(
  service: IntegrationService,
  status: IntegrationCheckResult['status'],
  detail: string,
  ids?: Record<string, string>,
): IntegrationCheckResult {
  return { service, name: SERVICE_NAMES[service], status, detail, ...(ids && Object.keys(ids).length ? { ids } : {}) };
}

/** The variables of `names` that are unset, for "X and Y are not set" details. */
export function missing(values: Record<string, string | null>): string[] {
  return Object.entries(values)
    .filter(([, value]) => value === null)
    .map(([name]) => name);
}

/** "A is not set" / "A and B are not set" / "A, B and C are not set". */
export function notSet(names: readonly string[]): string {
  const list = names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${list} ${names.length === 1 ? 'is' : 'are'} not set`;
}
