import { readCalendarSyncConfig } from './calendar-sync-config.js';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { PlatformName, publicKeyId, unescapePem } from '@careos/contract';
import { toCents } from '../domain/money.js';
import type { PartnerEnvConfig, ServerConfig, ServerMode, TwilioConfig } from './server-config.js';
import { readApiBaseUrl, readSendGrid } from './provider-config.js';
import { readProviderWebhookConfig } from './provider-webhook-config.js';
import { readAllowedOrigins } from './cors-config.js';
import { readLoginLimitConfig } from './login-limit-config.js';
import { readLookupConfig } from './lookup-config.js';
import { readBookingConfig } from './booking-config.js';
import { readCommsConfig } from './comms-config.js';
import { readMasterKeyConfig, type MasterKeyConfigOptions } from './master-key-config.js';
import { readInteger } from './read-integer.js';
import { readLifecycleConfig } from './lifecycle-config.js';
import { readIntegrationSettings } from './integrations-config.js';
import { readDataKey, readRetrySchedule, readWebhookPrivateAccess } from './webhook-config.js';

/** Thrown by {@link loadConfig}; lists every problem found, one per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * Parses the server's environment (the seed's `.env` shape plus our own variables; see the
 * package README for the full list). Every problem is collected and reported together, and
 * no value of a secret ever appears in a message.
 *
 * @param options.providerGiven a master key provider is passed in code, so production does not require `CAREOS_MASTER_KEY`.
 * @throws {@link ConfigError} when anything is missing or malformed.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: MasterKeyConfigOptions = {}): ServerConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const usd = (name: string): number | null => {
    const raw = read(name);
    if (raw === undefined) return null;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > 1_000_000) {
      problems.push(`${name} must be a non-negative amount of USD such as 25 or 12.50`);
      return null;
    }
    return toCents(value);
  };

  const mode = readMode(read, problems);
  const partners = readPartners(env, read, usd, problems);
  const encryption = readKeys(read, problems);

  const adminEmail = read('CAREOS_ADMIN_EMAIL');
  const adminPassword = env.CAREOS_ADMIN_PASSWORD ?? '';
  let admin: ServerConfig['admin'] = null;
  if (adminEmail !== undefined || adminPassword !== '') {
    if (adminEmail === undefined || !/^[^\s@]+@[^\s@]+$/.test(adminEmail)) problems.push('CAREOS_ADMIN_EMAIL must be an email address when CAREOS_ADMIN_PASSWORD is set');
    if (adminPassword.length < 8) problems.push('CAREOS_ADMIN_PASSWORD must be at least 8 characters when CAREOS_ADMIN_EMAIL is set');
    if (adminEmail !== undefined) admin = { email: adminEmail.toLowerCase(), password: adminPassword };
  }

  const jwtSecret = read('CAREOS_JWT_SECRET') ?? null;
  if (jwtSecret !== null && jwtSecret.length < 32) problems.push('CAREOS_JWT_SECRET must be at least 32 characters');
  const integrationJwtSecret = read('CAREOS_INTEGRATION_JWT_SECRET') ?? null;
  if (integrationJwtSecret !== null && integrationJwtSecret.length < 32) problems.push('CAREOS_INTEGRATION_JWT_SECRET must be at least 32 characters');
  if (integrationJwtSecret !== null && integrationJwtSecret === jwtSecret) problems.push('CAREOS_INTEGRATION_JWT_SECRET must differ from CAREOS_JWT_SECRET');
  const staffAccessTokenTtlSeconds = readInteger(read, 'CAREOS_ACCESS_TOKEN_TTL', { fallback: 900, min: 30, max: 86_400, problem: 'CAREOS_ACCESS_TOKEN_TTL must be a whole number of seconds from 30 to 86400' }, problems);
  const staffRefreshTokenTtlSeconds = readInteger(read, 'CAREOS_REFRESH_TOKEN_TTL', { fallback: 30 * 86_400, min: 60, max: 365 * 86_400, problem: 'CAREOS_REFRESH_TOKEN_TTL must be a whole number of seconds from 60 to 31536000' }, problems);
  const integrationTokenTtlSeconds = readInteger(read, 'CAREOS_INTEGRATION_TOKEN_TTL', { fallback: 3600, min: 60, max: 86_400, problem: 'CAREOS_INTEGRATION_TOKEN_TTL must be a whole number of seconds from 60 to 86400' }, problems);

  const defaultCountry = (read('CAREOS_DEFAULT_COUNTRY') ?? 'US').toUpperCase();
  if (!/^[A-Z]{2}$/.test(defaultCountry)) problems.push('CAREOS_DEFAULT_COUNTRY must be an ISO 3166-1 alpha-2 code such as US');

  const leadsLimit = readInteger(read, 'CAREOS_RATE_LIMIT_LEADS', { fallback: 100, min: 1, problem: 'CAREOS_RATE_LIMIT_LEADS must be a positive integer (requests per minute)' }, problems);
  const integrationLimit = readInteger(read, 'CAREOS_RATE_LIMIT_INTEGRATION', { fallback: 100, min: 1, problem: 'CAREOS_RATE_LIMIT_INTEGRATION must be a positive integer (requests per minute)' }, problems);

  const loginLimits = readLoginLimitConfig(read, problems);
  const rateLimitPrefix = read('CAREOS_RATE_LIMIT_PREFIX') ?? 'careos:rl';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(rateLimitPrefix)) problems.push('CAREOS_RATE_LIMIT_PREFIX must be 1 to 64 letters, digits or _ . : -');

  const minPayoutCents = usd('CAREOS_MIN_PAYOUT') ?? 2500;

  const redisUrl = read('REDIS_URL') ?? null;
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL must start with redis:// or rediss://');

  const twilio = readTwilio(read, problems);
  const sendgrid = readSendGrid(read, problems);
  const providerWebhooks = readProviderWebhookConfig(read, problems);
  const stripeKey = read('STRIPE_SECRET_KEY');

  const bodyLimitBytes = parseSize(read('CAREOS_BODY_LIMIT') ?? '100kb');
  if (bodyLimitBytes === null) problems.push('CAREOS_BODY_LIMIT must be a size such as 100kb, 1mb or 65536');

  const allowedOrigins = readAllowedOrigins(read('ALLOWED_ORIGINS'), problems);

  const databaseUrl = read('DATABASE_URL') ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must start with postgres:// or postgresql://');

  const logLevel = (read('CAREOS_LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.has(logLevel)) problems.push(`CAREOS_LOG_LEVEL must be one of ${[...LOG_LEVELS].join(', ')}`);

  const retryScheduleMs = readRetrySchedule(read('CAREOS_WEBHOOK_RETRY_SCHEDULE'), problems);
  const allowPrivate = readWebhookPrivateAccess(read('CAREOS_WEBHOOK_ALLOW_PRIVATE'), mode, problems);
  const masterKey = readMasterKeyConfig(read, mode, problems, options);
  // Read separately too: it also opens webhook secrets written by earlier versions while they are migrated.
  const legacyDataKey = masterKey === null || masterKey.source === 'CAREOS_DATA_KEY' ? (masterKey?.key.export() ?? null) : readDataKey(read('CAREOS_DATA_KEY'), problems);
  const lookup = readLookupConfig(read, problems);
  const lifecycle = readLifecycleConfig(read, problems);
  const bookings = readBookingConfig(read, problems);
  const calendarSync = readCalendarSyncConfig(read, problems);
  const integrations = readIntegrationSettings(read, problems);
  const comms = readCommsConfig(read, problems);

  // Twilio's and SendGrid's base URLs are read by their providers' settings and by the self-test's: one line each.
  if (problems.length) throw new ConfigError([...new Set(problems)]);
  return {
    mode,
    partners,
    encryption,
    admin,
    jwtSecret,
    integrationJwtSecret,
    integrationTokenTtlSeconds,
    staffAccessTokenTtlSeconds,
    staffRefreshTokenTtlSeconds,
    defaultCountry,
    rateLimits: { leads: leadsLimit, integration: integrationLimit, lookup: lookup.rateLimitPerMinute },
    loginLimits,
    minPayoutCents,
    redisUrl,
    rateLimitPrefix,
    twilio,
    sendgrid,
    providerWebhooks,
    stripe: stripeKey ? { secretKey: stripeKey, ...(read('STRIPE_API_BASE_URL') ? { baseUrl: integrations.stripe.baseUrl } : {}) } : null,
    allowedOrigins,
    bodyLimitBytes: bodyLimitBytes ?? 0,
    databaseUrl,
    logLevel,
    validateResponses: /^(1|true|yes)$/i.test(read('CAREOS_VALIDATE_RESPONSES') ?? ''),
    webhooks: { retryScheduleMs, requireHttps: mode === 'production', allowPrivate },
    masterKey,
    legacyDataKey,
    lookup,
    lifecycle,
    bookings,
    calendarSync,
    integrations,
    comms,
  };
}

function readMode(read: (name: string) => string | undefined, problems: string[]): ServerMode {
  const explicit = read('CAREOS_ENV')?.toLowerCase();
  if (explicit === undefined) return read('NODE_ENV')?.toLowerCase() === 'production' ? 'production' : 'development';
  if (explicit === 'production' || explicit === 'development') return explicit;
  problems.push('CAREOS_ENV must be production or development');
  return 'development';
}

function readPartners(
  env: NodeJS.ProcessEnv,
  read: (name: string) => string | undefined,
  usd: (name: string) => number | null,
  problems: string[],
): PartnerEnvConfig[] {
  const list = read('CAREOS_PARTNERS');
  if (list === undefined) return [];
  const partners: PartnerEnvConfig[] = [];
  const seenKeys = new Set<string>();
  for (const raw of list.split(',').map((p) => p.trim().toLowerCase()).filter(Boolean)) {
    if (!PlatformName.safeParse(raw).success) {
      problems.push(`CAREOS_PARTNERS: "${raw}" is not a platform name (2-32 lower-case letters or digits, starting with a letter)`);
      continue;
    }
    if (partners.some((p) => p.platform === raw)) continue;
    const prefix = raw.toUpperCase();
    const apiKeys = (env[`${prefix}_API_KEY`] ?? '')
      .split(',')
      .map((k) => k.trim().replace(/^["']|["']$/g, ''))
      .filter(Boolean);
    if (apiKeys.length === 0) problems.push(`${prefix}_API_KEY is required for partner ${raw} (comma-separate several keys during a rotation)`);
    for (const key of apiKeys) {
      if (key.length < 12) problems.push(`${prefix}_API_KEY: every key must be at least 12 characters`);
      if (seenKeys.has(key)) problems.push(`${prefix}_API_KEY: the same key is configured twice`);
      seenKeys.add(key);
    }
    const salt = read(`${prefix}_PHONE_HASH_SALT`) ?? read('PHONE_HASH_SALT');
    if (salt === undefined) problems.push(`${prefix}_PHONE_HASH_SALT or PHONE_HASH_SALT is required for partner ${raw}`);
    partners.push({
      platform: raw,
      name: read(`${prefix}_NAME`) ?? raw,
      apiKeys,
      phoneHashSalt: salt ?? '',
      minPayoutCents: usd(`${prefix}_MIN_PAYOUT`),
      payoutDestination: read(`${prefix}_PAYOUT_DESTINATION`) ?? null,
    });
  }
  return partners;
}

function parsePrivateKey(name: string, value: string, problems: string[]): KeyObject | null {
  try {
    const key = createPrivateKey(unescapePem(value));
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (key.asymmetricKeyType !== 'rsa' || bits < 2048) {
      problems.push(`${name} must be an RSA private key of at least 2048 bits`);
      return null;
    }
    return key;
  } catch {
    problems.push(`${name} is not a readable PEM private key (use the PKCS#8 "BEGIN PRIVATE KEY" form; \\n escapes are fine)`);
    return null;
  }
}

function readKeys(read: (name: string) => string | undefined, problems: string[]): ServerConfig['encryption'] {
  const currentPem = read('CAREOS_PRIVATE_KEY');
  const publicPem = read('CAREOS_PUBLIC_KEY');
  const previousPem = read('CAREOS_PRIVATE_KEY_PREVIOUS');
  const privateKey = currentPem === undefined ? null : parsePrivateKey('CAREOS_PRIVATE_KEY', currentPem, problems);
  const previousPrivateKey = previousPem === undefined ? null : parsePrivateKey('CAREOS_PRIVATE_KEY_PREVIOUS', previousPem, problems);
  if (currentPem === undefined && previousPem !== undefined) problems.push('CAREOS_PRIVATE_KEY_PREVIOUS needs CAREOS_PRIVATE_KEY (the current key) as well');
  if (currentPem === undefined && publicPem !== undefined) problems.push('CAREOS_PUBLIC_KEY is set but CAREOS_PRIVATE_KEY is not');
  if (privateKey && publicPem !== undefined) {
    try {
      const publicKey = createPublicKey(unescapePem(publicPem));
      if (publicKeyId(publicKey) !== publicKeyId(privateKey)) {
        problems.push('CAREOS_PUBLIC_KEY does not match CAREOS_PRIVATE_KEY (partners would encrypt with a key this server cannot decrypt)');
      }
    } catch {
      problems.push('CAREOS_PUBLIC_KEY is not a readable PEM public key');
    }
  }
  if (privateKey && previousPrivateKey && publicKeyId(privateKey) === publicKeyId(previousPrivateKey)) {
    problems.push('CAREOS_PRIVATE_KEY_PREVIOUS is the same key as CAREOS_PRIVATE_KEY');
  }
  return { privateKey, previousPrivateKey };
}

function readTwilio(read: (name: string) => string | undefined, problems: string[]): TwilioConfig | null {
  const accountSid = read('TWILIO_ACCOUNT_SID');
  const authToken = read('TWILIO_AUTH_TOKEN');
  const fromNumber = read('TWILIO_FROM_NUMBER') ?? null;
  const messagingServiceSid = read('TWILIO_MESSAGING_SERVICE_SID') ?? null;
  if (!accountSid && !authToken && !fromNumber && !messagingServiceSid) return null;
  if (!accountSid || !authToken) problems.push('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are both required to send SMS through Twilio');
  if (!fromNumber && !messagingServiceSid) problems.push('TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID is required to send SMS through Twilio');
  const baseUrl = readApiBaseUrl(read, 'TWILIO_API_BASE_URL', problems);
  if (!accountSid || !authToken) return null;
  return { accountSid, authToken, fromNumber, messagingServiceSid, ...(baseUrl ? { baseUrl } : {}) };
}

/** `100kb`, `1mb`, `2048` (bytes) → bytes; `null` when unreadable. */
function parseSize(value: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i.exec(value.trim());
  if (!match) return null;
  const factor = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  const bytes = Math.floor(Number(match[1]) * factor);
  return bytes >= 1 ? bytes : null;
}
