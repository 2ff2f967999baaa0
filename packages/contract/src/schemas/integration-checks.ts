import { z } from 'zod';

/**
 * The third-party services the self-test checks, in the order it reports them (the seed's
 * `test-integrations.js` order, then OpenAI and Stripe).
 */
export const IntegrationService = z
  .enum(['twilio', 'sendgrid', 'google_calendar', 'microsoft_outlook', 'openai', 'stripe'])
  .meta({ id: 'IntegrationService' });

/** A service id of {@link IntegrationService}. */
export type IntegrationService = z.infer<typeof IntegrationService>;

/**
 * `ok`: the credentials were accepted (and the test message, when asked for, was sent);
 * `failed`: something is set but wrong, missing or unreachable; `not_configured`: none of the
 * service's variables is set, which is not a failure (the server then uses its local default).
 */
export const IntegrationCheckStatus = z.enum(['ok', 'failed', 'not_configured']).meta({ id: 'IntegrationCheckStatus' });

/** A status of {@link IntegrationCheckStatus}. */
export type IntegrationCheckStatus = z.infer<typeof IntegrationCheckStatus>;

/** The outcome of a test SMS or email (`send_test: true`). */
export const IntegrationTestSend = z
  .object({
    status: z.enum(['ok', 'failed']),
    detail: z.string().describe('What happened, without the recipient or any secret'),
    id: z.string().nullable().describe("The provider's id of the message (a Twilio Message SID, a SendGrid X-Message-Id)"),
  })
  .meta({ id: 'IntegrationTestSend' });

/** A parsed {@link IntegrationTestSend}. */
export type IntegrationTestSend = z.infer<typeof IntegrationTestSend>;

/** One service's result. Never carries a secret: identifiers appear masked (`AC12…cdef`). */
export const IntegrationCheckResult = z
  .object({
    service: IntegrationService,
    name: z.string().describe('The name the summary prints: Twilio, Sendgrid, GoogleCalendar, Outlook, OpenAI, Stripe'),
    status: IntegrationCheckStatus,
    detail: z.string().describe('What was checked and what the service answered (safe text: no secrets, no message content)'),
    ids: z
      .record(z.string(), z.string())
      .optional()
      .describe('Masked identifiers of what was checked, e.g. `{ "account_sid": "AC12…cdef" }`'),
    test_send: IntegrationTestSend.optional().describe('Present when a test message was asked for and the service is configured'),
  })
  .meta({ id: 'IntegrationCheckResult' });

/** A parsed {@link IntegrationCheckResult}. */
export type IntegrationCheckResult = z.infer<typeof IntegrationCheckResult>;

/** Body of `POST /admin/integrations/test`. */
export const IntegrationTestRequest = z
  .object({
    send_test: z
      .boolean()
      .optional()
      .describe('Also send the test SMS to TEST_PHONE_NUMBER and the test email to TEST_EMAIL through the configured providers (default false)'),
  })
  .meta({ id: 'IntegrationTestRequest' });

/** The self-test's report. */
export const IntegrationTestReport = z
  .object({
    ok: z.boolean().describe('No configured service failed'),
    results: z.array(IntegrationCheckResult),
  })
  .meta({ id: 'IntegrationTestReport' });

/** A parsed {@link IntegrationTestReport}. */
export type IntegrationTestReport = z.infer<typeof IntegrationTestReport>;
