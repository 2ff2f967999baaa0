import type { CalendarSyncConfig } from './calendar-sync-config.js';
import type { ProviderWebhookConfig } from './provider-webhook-config.js';
import type { KeyObject } from 'node:crypto';
import type { BookingConfig } from './booking-config.js';
import type { CommsConfig } from './comms-config.js';
import type { LifecycleConfig } from './lifecycle-config.js';
import type { LoginLimitConfig } from './login-limit-config.js';
import type { LookupConfig } from './lookup-config.js';
import type { WebhookPrivateAccess } from './webhook-config.js';
import type { MasterKeyConfig } from './master-key-config.js';
import type { IntegrationSettings } from './integrations-config.js';

/** One lead partner as configured through the environment (`CAREOS_PARTNERS`). */
export interface PartnerEnvConfig {
  /** Lower-case platform name, e.g. `businessos`. */
  platform: string;
  /** Display name (`<P>_NAME`, default the platform). */
  name: string;
  /** Every key in `<P>_API_KEY` (several during a rotation). */
  apiKeys: string[];
  /** `<P>_PHONE_HASH_SALT`, else the shared `PHONE_HASH_SALT`. */
  phoneHashSalt: string;
  /** `<P>_MIN_PAYOUT` in cents; `null` uses {@link ServerConfig.minPayoutCents}. */
  minPayoutCents: number | null;
  /** `<P>_PAYOUT_DESTINATION`, e.g. a Stripe connected account id. */
  payoutDestination: string | null;
}

/** Twilio credentials (`TWILIO_*`). */
export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** Sender number; one of this and {@link messagingServiceSid} is set. */
  fromNumber: string | null;
  messagingServiceSid: string | null;
  /** API origin (`TWILIO_API_BASE_URL`), present only when set: a proxy, or a local fake in tests. */
  baseUrl?: string;
}

/** SendGrid credentials and sender (`SENDGRID_*`). */
export interface SendGridConfig {
  apiKey: string;
  /** Sender address (`SENDGRID_FROM_EMAIL`), a verified sender at SendGrid. */
  fromEmail: string;
  /** Sender display name (`SENDGRID_FROM_NAME`). */
  fromName: string | null;
  /** API origin (`SENDGRID_API_BASE_URL`), present only when set. */
  baseUrl?: string;
}

/**
 * `production` (`CAREOS_ENV=production`, or `NODE_ENV=production` when `CAREOS_ENV` is unset)
 * refuses unsafe fallbacks that a local sandbox relies on; `development` allows them with a warning.
 */
export type ServerMode = 'production' | 'development';

/** Everything the server reads from its environment, parsed and checked once at start. */
export interface ServerConfig {
  /** See {@link ServerMode}. */
  mode: ServerMode;
  /** Partners upserted into the database at start. */
  partners: PartnerEnvConfig[];
  /** Phone-decryption keys, parsed once; `null` current key means "generate a development key". */
  encryption: { privateKey: KeyObject | null; previousPrivateKey: KeyObject | null };
  /** First admin account, created at start when absent. */
  admin: { email: string; password: string } | null;
  /** HS256 secret for staff tokens; `null` means generate one and keep it in the database. */
  jwtSecret: string | null;
  /**
   * HS256 secret for integration tokens (`CAREOS_INTEGRATION_JWT_SECRET`), distinct from the staff
   * secret so neither kind of token can pass for the other; `null` means generate and keep one.
   */
  integrationJwtSecret: string | null;
  /** Lifetime of an integration token in seconds (`CAREOS_INTEGRATION_TOKEN_TTL`, default 3600). */
  integrationTokenTtlSeconds: number;
  /** Lifetime of a staff access token in seconds (`CAREOS_ACCESS_TOKEN_TTL`, default 900). */
  staffAccessTokenTtlSeconds: number;
  /** Lifetime of an unused staff refresh token in seconds (`CAREOS_REFRESH_TOKEN_TTL`, default 30 days). */
  staffRefreshTokenTtlSeconds: number;
  /** ISO country assumed for phones written without a country code. */
  defaultCountry: string;
  /** Requests per minute per credential, by bucket. */
  rateLimits: { leads: number; integration: number; lookup: number };
  /** Default smallest payout in cents (`CAREOS_MIN_PAYOUT`, USD). */
  minPayoutCents: number;
  /** Brute-force limits on staff login and on integration secrets. */
  loginLimits: LoginLimitConfig;
  /** Redis for shared rate-limit counters; `null` keeps them in memory. */
  redisUrl: string | null;
  /** Prefix of every rate-limit key in Redis and in the database (`CAREOS_RATE_LIMIT_PREFIX`, default `careos:rl`). */
  rateLimitPrefix: string;
  /** Twilio SMS when set; otherwise messages go to the log (masked) and the outbox table. */
  twilio: TwilioConfig | null;
  /** SendGrid email when `SENDGRID_API_KEY` is set; otherwise emails go to the log (domain only). */
  sendgrid: SendGridConfig | null;
  /** Twilio and SendGrid webhooks to us: public URL and signature keys. */
  providerWebhooks: ProviderWebhookConfig;
  /** Stripe payouts when set; otherwise payouts are recorded in the ledger only. */
  stripe: { secretKey: string; /** `STRIPE_API_BASE_URL`, present only when set (a local fake in tests). */ baseUrl?: string } | null;
  /** Browser origins allowed by CORS (`ALLOWED_ORIGINS`: exact origins, or `*`); empty sends no CORS headers. */
  allowedOrigins: readonly string[];
  /** Largest accepted request body in bytes. */
  bodyLimitBytes: number;
  /** PostgreSQL URL (`DATABASE_URL`); `null` uses embedded PGlite. */
  databaseUrl: string | null;
  /** pino level used when the server creates its own logger. */
  logLevel: string;
  /** Check every response against the contract before sending it (tests turn this on). */
  validateResponses: boolean;
  /** Webhook delivery. */
  webhooks: {
    /**
     * Delay in ms before each attempt (`CAREOS_WEBHOOK_RETRY_SCHEDULE`, in seconds): the first
     * counted from when the event is queued, each next one from the previous failure. Its
     * length is the number of attempts.
     */
    retryScheduleMs: number[];
    /** Refuse plain `http://` receivers (production mode), except a literal host `allowPrivate` admits. */
    requireHttps: boolean;
    /** Non-public receivers allowed (`CAREOS_WEBHOOK_ALLOW_PRIVATE`; default `none` in production, `private` in development). */
    allowPrivate: WebhookPrivateAccess;
  };
  /** CCaaS screen-pop lookup: default country, screen-pop URL, rate limit. */
  lookup: LookupConfig;
  /**
   * The master key that wraps the data keys (`CAREOS_MASTER_KEY`, `CAREOS_MASTER_KEY_FILE`, or the
   * deprecated `CAREOS_DATA_KEY`); `null` falls back to a key file beside the data directory, an
   * ephemeral key (in-memory database) or the built-in development key (PostgreSQL), refused in production.
   */
  masterKey: MasterKeyConfig | null;
  /**
   * `CAREOS_DATA_KEY` as earlier versions used it: the key that encrypted webhook secrets directly.
   * Only read to re-encrypt those secrets under the data keys at start.
   */
  legacyDataKey: Buffer | null;
  /** Shutdown grace, heartbeat and leases. */
  lifecycle: LifecycleConfig;
  /** Bookings: the default business time zone and the automatic reminders. */
  bookings: BookingConfig;
  /** Background sync of connected calendars. */
  calendarSync: CalendarSyncConfig;
  /** Third-party settings as the integration self-test and the start-time warnings read them. */
  integrations: IntegrationSettings;
  /** Communications: the BAA flags and the business name of the generic notice. */
  comms: CommsConfig;
}
