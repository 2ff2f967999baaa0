import { readApiBaseUrl, readPublicUrl } from './provider-config.js';
import { readFlag } from './comms-config.js';

/**
 * The third-party settings the integration self-test and the start-time warnings read: every
 * integration variable of the seed's `.env.example`, raw (a half-configured service is reported
 * by the self-test, not refused here), plus the API origins tests point at local fakes.
 */
export interface IntegrationSettings {
  twilio: {
    accountSid: string | null;
    authToken: string | null;
    fromNumber: string | null;
    messagingServiceSid: string | null;
    /** `TWILIO_API_BASE_URL` (default `https://api.twilio.com`). */
    baseUrl: string;
    /** `TWILIO_HIPAA_ENABLED`: a BAA with Twilio is signed (seed). */
    hipaaEnabled: boolean;
  };
  sendgrid: {
    apiKey: string | null;
    fromEmail: string | null;
    fromName: string | null;
    /** `SENDGRID_API_BASE_URL` (default `https://api.sendgrid.com`). */
    baseUrl: string;
    /** `SENDGRID_HIPAA_ENABLED` (seed). */
    hipaaEnabled: boolean;
  };
  google: {
    clientId: string | null;
    clientSecret: string | null;
    redirectUri: string | null;
    /** `GOOGLE_OAUTH_BASE_URL`: origin of the token endpoint `/token` (default `https://oauth2.googleapis.com`). */
    baseUrl: string;
    /** `GOOGLE_CALENDAR_API_BASE_URL`: origin of the Calendar API `/calendar/v3` (default `https://www.googleapis.com`). */
    calendarApiBaseUrl: string;
  };
  microsoft: {
    clientId: string | null;
    clientSecret: string | null;
    redirectUri: string | null;
    /** `MICROSOFT_TENANT` (default `common`). */
    tenant: string;
    /** `MICROSOFT_LOGIN_BASE_URL` (default `https://login.microsoftonline.com`). */
    baseUrl: string;
    /** `MICROSOFT_GRAPH_BASE_URL`: origin of Microsoft Graph `/v1.0` (default `https://graph.microsoft.com`). */
    graphBaseUrl: string;
  };
  openai: {
    apiKey: string | null;
    /** `OPENAI_BASE_URL`, with its `/v1` as the OpenAI SDKs read it (default `https://api.openai.com/v1`). */
    baseUrl: string;
  };
  stripe: {
    secretKey: string | null;
    /** `STRIPE_API_BASE_URL` (default `https://api.stripe.com`). */
    baseUrl: string;
  };
  /** Where `--send-test` sends: `TEST_PHONE_NUMBER`, `TEST_EMAIL` (seed step 4). */
  test: { phoneNumber: string | null; email: string | null };
  /**
   * `CAREOS_PUBLIC_URL`: the origin callers reach this server at (behind a TLS-terminating
   * proxy, not the address it listens on). Provider status callbacks are signed over it.
   */
  publicUrl: string | null;
  /**
   * `CAREOS_CALENDAR_SANDBOX`: serve the sandbox calendar provider (its own consent page, token
   * endpoint and Google-shaped events API) and offer `sandbox` as a calendar to connect. Also
   * turned on by `--seed demo`.
   */
  calendarSandbox: boolean;
}

const DEFAULT_BASE_URLS = {
  TWILIO_API_BASE_URL: 'https://api.twilio.com',
  SENDGRID_API_BASE_URL: 'https://api.sendgrid.com',
  GOOGLE_OAUTH_BASE_URL: 'https://oauth2.googleapis.com',
  GOOGLE_CALENDAR_API_BASE_URL: 'https://www.googleapis.com',
  MICROSOFT_LOGIN_BASE_URL: 'https://login.microsoftonline.com',
  MICROSOFT_GRAPH_BASE_URL: 'https://graph.microsoft.com',
  OPENAI_BASE_URL: 'https://api.openai.com/v1',
  STRIPE_API_BASE_URL: 'https://api.stripe.com',
} as const;

/**
 * Reads {@link IntegrationSettings}. Malformed values (a base URL that is not http(s), a flag
 * that is not a boolean) are added to `problems`; missing ones are simply `null`.
 *
 * @param read returns a trimmed, non-empty variable or `undefined` (as `loadConfig` reads them)
 */
export function readIntegrationSettings(read: (name: string) => string | undefined, problems: string[]): IntegrationSettings {
  const value = (name: string): string | null => read(name) ?? null;
  // The same reader (and message) as the providers' own configuration, so loadConfig reports a bad one once.
  const baseUrl = (name: keyof typeof DEFAULT_BASE_URLS): string => readApiBaseUrl(read, name, problems) ?? DEFAULT_BASE_URLS[name];
  const flag = (name: string): boolean => readFlag(read, name, problems);
  const publicUrl = readPublicUrl(read, 'CAREOS_PUBLIC_URL', problems);
  const tenant = read('MICROSOFT_TENANT') ?? 'common';
  if (!/^[A-Za-z0-9.-]{1,128}$/.test(tenant)) problems.push('MICROSOFT_TENANT must be common, organizations, consumers, a tenant id or a domain');

  return {
    twilio: {
      accountSid: value('TWILIO_ACCOUNT_SID'),
      authToken: value('TWILIO_AUTH_TOKEN'),
      fromNumber: value('TWILIO_FROM_NUMBER'),
      messagingServiceSid: value('TWILIO_MESSAGING_SERVICE_SID'),
      baseUrl: baseUrl('TWILIO_API_BASE_URL'),
      hipaaEnabled: flag('TWILIO_HIPAA_ENABLED'),
    },
    sendgrid: {
      apiKey: value('SENDGRID_API_KEY'),
      fromEmail: value('SENDGRID_FROM_EMAIL'),
      fromName: value('SENDGRID_FROM_NAME'),
      baseUrl: baseUrl('SENDGRID_API_BASE_URL'),
      hipaaEnabled: flag('SENDGRID_HIPAA_ENABLED'),
    },
    google: {
      clientId: value('GOOGLE_CLIENT_ID'),
      clientSecret: value('GOOGLE_CLIENT_SECRET'),
      redirectUri: value('GOOGLE_REDIRECT_URI'),
      baseUrl: baseUrl('GOOGLE_OAUTH_BASE_URL'),
      calendarApiBaseUrl: baseUrl('GOOGLE_CALENDAR_API_BASE_URL'),
    },
    microsoft: {
      clientId: value('MICROSOFT_CLIENT_ID'),
      clientSecret: value('MICROSOFT_CLIENT_SECRET'),
      redirectUri: value('MICROSOFT_REDIRECT_URI'),
      tenant,
      baseUrl: baseUrl('MICROSOFT_LOGIN_BASE_URL'),
      graphBaseUrl: baseUrl('MICROSOFT_GRAPH_BASE_URL'),
    },
    openai: { apiKey: value('OPENAI_API_KEY'), baseUrl: baseUrl('OPENAI_BASE_URL') },
    stripe: { secretKey: value('STRIPE_SECRET_KEY'), baseUrl: baseUrl('STRIPE_API_BASE_URL') },
    test: { phoneNumber: value('TEST_PHONE_NUMBER'), email: value('TEST_EMAIL') },
    publicUrl,
    calendarSandbox: flag('CAREOS_CALENDAR_SANDBOX'),
  };
}
