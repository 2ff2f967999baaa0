/**
 * The CareOS reference server: a compact Express implementation of the API on embedded
 * PGlite or PostgreSQL, for sandboxes, demos and tests.
 *
 * @packageDocumentation
 */
export { createApp, type AppDeps, type CareOSApp } from './app.js';
export { ConfigError, loadConfig } from './config/load-config.js';
export type { LifecycleConfig } from './config/lifecycle-config.js';
export type { LoginLimitConfig } from './config/login-limit-config.js';
export type { LookupConfig } from './config/lookup-config.js';
export type { BookingConfig } from './config/booking-config.js';
export type { CalendarSyncConfig } from './config/calendar-sync-config.js';
export type { QuietHours } from './domain/quiet-hours.js';
export type { ProviderWebhookConfig } from './config/provider-webhook-config.js';
export type { CommsConfig } from './config/comms-config.js';
export type { MasterKeyConfig, MasterKeyConfigOptions, MasterKeySource } from './config/master-key-config.js';
export type { PartnerEnvConfig, SendGridConfig, ServerConfig, ServerMode, TwilioConfig } from './config/server-config.js';
export type { WebhookPrivateAccess } from './config/webhook-config.js';
export { LocalMasterKey, MasterKeyError, type MasterKeyProvider } from './crypto/master-key.js';
export { masterKeyFileFor } from './crypto/master-key-file.js';
export type { Database, RawRunner } from './db/database.js';
export { openDatabase, type OpenDatabaseOptions } from './db/open-database.js';
export { createLogger, REDACT_PATHS, type CreateLoggerOptions } from './logging/logger.js';
export { systemClock, type Clock } from './domain/clock.js';
export { createConsoleSmsProvider } from './providers/console-sms.js';
export { createLedgerPayoutProvider } from './providers/ledger-payouts.js';
export { createStripePayoutProvider, type StripePayoutOptions } from './providers/stripe-payouts.js';
export { createTwilioSmsProvider, type TwilioSmsOptions } from './providers/twilio-sms.js';
export { createConsoleEmailProvider } from './providers/console-email.js';
export { createSendGridEmailProvider, SENDGRID_MAX_PERSONALIZATIONS, SENDGRID_UNKNOWN_DELIVERY, type SendGridEmailOptions } from './providers/sendgrid-email.js';
export type { RetryPolicy } from './providers/provider-http.js';
export {
  ProviderError,
  type EmailBatch,
  type EmailContent,
  type EmailOutcome,
  type EmailProvider,
  type EmailRecipient,
  type PayoutProvider,
  type ProviderFailureKind,
  type PayoutRequest,
  type PayoutResult,
  type Providers,
  type SmsMessage,
  type SmsProvider,
  type SmsResult,
} from './providers/types.js';
export type { IntegrationSettings } from './config/integrations-config.js';
export {
  runIntegrationChecks,
  runIntegrationSelfTest,
  unsafeSettingWarnings,
  type IntegrationCheckOptions,
  type IntegrationSelfTestOptions,
  type IntegrationSelfTestOutcome,
} from './integrations/index.js';
export { rotateMasterKey, type RotateMasterKeyOptions, type RotateMasterKeyResult } from './rotate-master-key.js';
export { MasterKeyMismatchError } from './services/data-keys.js';
export { DEMO_CREDENTIALS_FILE, startServer, type RunningServer, type StartServerOptions } from './server.js';
export { AuditService, type AuditEntry, type AuditListOptions, type AuditServiceDeps } from './services/audit.js';
export { canonicalEncoding, chainHash, GENESIS_HASH, type ChainFields } from './services/audit-chain.js';
export type { DemoCredentials } from './services/demo.js';
export type { LookupDemoCredentials } from './services/lookup/demo.js';
export { scalePatientPhones, type ScaleSeedResult } from './services/lookup/scale-seed.js';
export { CONTACT_SCALE_SEARCH_MATCHES, CONTACT_SCALE_SEARCH_NAME } from './services/contacts-scale.js';
export { MAX_LOOKUP_SCALE, parseSeedSpec, type SeedSpec } from './seed-spec.js';
export type { IntegrationDemoCredentials } from './services/integration/demo.js';
