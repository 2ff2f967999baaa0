import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { ErrorCode, ErrorText, expressPath } from '@careos/contract';
import { sql } from 'drizzle-orm';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ServerConfig } from './config/server-config.js';
import type { KeyRing } from './crypto/key-ring.js';
import type { MasterKeyProvider } from './crypto/master-key.js';
import type { Database } from './db/database.js';
import { systemClock, type Clock } from './domain/clock.js';
import { auditTrail } from './http/audit.js';
import { contractCheck } from './http/contract-check.js';
import { errorHandler, notFound } from './http/error-handler.js';
import { sendError } from './http/errors.js';
import { AttemptLimits } from './http/attempt-limits.js';
import { ProviderSignatures } from './http/provider-auth.js';
import { RateLimits } from './http/rate-limit.js';
import { RateLimitStores } from './http/rate-limit-stores.js';
import { requestContextMiddleware } from './http/request-context.js';
import { corsMiddleware } from './http/cors.js';
import { useDirectJson } from './http/json-response.js';
import { createLogger } from './logging/logger.js';
import { selectProviders } from './providers/select-providers.js';
import type { Providers } from './providers/types.js';
import { bindAdminRoutes } from './routes/admin.js';
import { bindAlertRoutes } from './routes/alerts.js';
import { bindAuditAdminRoutes } from './routes/audit-admin.js';
import { bindContactRoutes } from './routes/contacts.js';
import { bindDashboardRoutes } from './routes/dashboard.js';
import { bindAuthRoutes } from './routes/auth.js';
import { bindBookingRoutes } from './routes/bookings.js';
import { bindIntegrationCheckRoutes } from './routes/integration-checks.js';
import { unsafeSettingWarnings } from './integrations/warnings.js';
import type { HttpKit } from './routes/http-kit.js';
import { bindIntegrationRoutes } from './routes/integration.js';
import { bindIntegrationAdminRoutes } from './routes/integration-admin.js';
import { bindInventoryRoutes } from './routes/inventory.js';
import { bindLeadRoutes } from './routes/leads.js';
import { bindLookupRoutes } from './routes/lookup.js';
import { bindLookupAdminRoutes } from './routes/lookup-admin.js';
import { bindMessageRoutes } from './routes/messages.js';
import { bindCommsRoutes } from './routes/comms.js';
import { bindCalendarRoutes } from './routes/calendar.js';
import { bindSandboxCalendarRoutes } from './routes/sandbox-calendar.js';
import { bindCalendarPushRoutes, bindGraphPushRoutes } from './routes/calendar-push.js';
import { bindMetaRoutes } from './routes/meta.js';
import { bindPaymentRoutes } from './routes/payments.js';
import { bindProviderWebhookRoutes } from './routes/provider-webhooks.js';
import { bindWebhookRoutes } from './routes/webhooks.js';
import type { ServiceContext } from './services/context.js';
import type { DemoCredentials } from './services/demo.js';
import { seedLookupScale, type ScaleSeedResult } from './services/lookup/scale-seed.js';
import { seedContactScale } from './services/contacts-scale.js';
import { loadKeyRing } from './services/encryption-keys.js';
import { FieldCrypto } from './services/field-crypto.js';
import { convertPlaintextPhi } from './services/phi-migration.js';
import { createServices, type AppServices } from './services/index.js';
import { encryptLegacySecrets } from './services/secrets-migration.js';

/** What {@link createApp} needs. */
export interface AppDeps {
  /** An open database (see `openDatabase`); the app does not close it. */
  db: Database;
  /** Parsed configuration (see `loadConfig`). */
  config: ServerConfig;
  /** Source of "now" (default: the wall clock). */
  clock?: Clock;
  /** Replace the SMS or payout provider chosen from the configuration. */
  providers?: Partial<Providers>;
  /** Logger (default: pino to stdout at `config.logLevel`). */
  logger?: Logger;
  /** Resolves webhook receivers' host names, at registration and at every delivery (default: the system resolver; tests inject one). */
  webhookLookup?: LookupFunction;
  /**
   * The master key that wraps the data keys, replacing the one the configuration names (say, a
   * cloud KMS behind {@link MasterKeyProvider}); in production one of the two is required.
   */
  masterKey?: MasterKeyProvider;
}

/**
 * The Express application of the reference server, plus its lifecycle. It does not listen:
 * call `app.listen()` (tests use port 0) or use `startServer`.
 */
export interface CareOSApp extends Express {
  /** Resolves when start-up work is done (keys loaded, env partners synced, orphaned SMS re-queued). Requests wait for it. */
  ready(): Promise<void>;
  /** Waits until background work so far (lead batches, SMS sends, audit rows) is written. */
  flush(): Promise<void>;
  /**
   * Stops background timers, finishes background work, removes this instance from the
   * `instances` table and disconnects Redis. The database stays open.
   */
  close(): Promise<void>;
  /**
   * Tells the app the address `server` listens at, which features that call this server itself
   * (the sandbox calendar) use when `CAREOS_PUBLIC_URL` is not set. `startServer` calls it, and
   * so does `app.listen()`; call it yourself after `http.createServer(app).listen()`.
   */
  listeningOn(server: Server): void;
  /** Seeds the demo data (idempotent) and returns its credentials. */
  seedDemo(): Promise<DemoCredentials>;
  /** Generates `count` more realistic lookup cases (for benchmarks; see `--seed lookup-scale=N`). */
  seedLookupScale(count: number): Promise<ScaleSeedResult>;
  /** Writes `count` generated contacts in bulk, for benchmarks (see `seedContactScale`). */
  seedContactScale(count: number): Promise<void>;
  /**
   * The services behind the routes, for tests.
   * @internal
   */
  readonly services: AppServices;
  /**
   * The phone-decryption keys (after {@link ready}).
   * @internal
   */
  keyRing(): KeyRing;
  /**
   * The PHI field cipher and blind index (usable after {@link ready}).
   * @internal
   */
  readonly phi: FieldCrypto;
  /** This instance's id; several instances may share one database. */
  readonly instanceId: string;
  readonly logger: Logger;
}

const PURGE_INTERVAL_MS = 60 * 60 * 1000;
const MAINTENANCE_INTERVAL_MS = 10 * 60 * 1000;
const RATE_LIMIT_PURGE_INTERVAL_MS = 10 * 60 * 1000;

function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    // A Redis that stops answering without closing the connection must not hold requests up.
    commandTimeout: 1000,
    retryStrategy: (times) => Math.min(times * 250, 2000),
  });
  let lastWarning = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastWarning < 30_000) return;
    lastWarning = Date.now();
    logger.warn({ err_message: error.message }, 'redis unavailable; rate limits count in the shared database meanwhile');
  });
  return redis;
}

function redisReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Builds the reference server as an Express app (DESIGN §5): routes bound from the contract's
 * route table to the services, with request ids, auth, rate limits, idempotency, validation,
 * audit and logging around them.
 */
export function createApp(deps: AppDeps): CareOSApp {
  const { db, config } = deps;
  const logger = deps.logger ?? createLogger({ level: config.logLevel });
  const clock = deps.clock ?? systemClock;
  const instanceId = randomBytes(8).toString('hex');
  const providers = selectProviders(config, logger, deps.providers);
  for (const warning of unsafeSettingWarnings(config, providers)) logger.warn(warning);
  const ctx: ServiceContext = { db, clock, logger, config, providers, instanceId, phi: new FieldCrypto(logger) };

  let keyRing: KeyRing | null = null;
  const keys = (): KeyRing => {
    if (!keyRing) throw new Error('The key ring is not loaded yet (await app.ready())');
    return keyRing;
  };
  const services = createServices(ctx, keys, {
    ...(deps.webhookLookup ? { webhookLookup: deps.webhookLookup } : {}),
    ...(deps.masterKey ? { masterKey: deps.masterKey } : {}),
  });
  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : null;
  const rateLimits = new RateLimits(config.rateLimits, new RateLimitStores(redis, db, logger, config.rateLimitPrefix), logger);
  const attemptLimits = new AttemptLimits(rateLimits, config.loginLimits, logger);
  const timers: NodeJS.Timeout[] = [];
  let closed = false;

  const init = (async () => {
    // First: every secret below is read through the data keys, and older databases get theirs encrypted.
    await encryptLegacySecrets(ctx, await services.dataKeys.ring(), services.settings);
    keyRing = await loadKeyRing(ctx, services.settings);
    await ctx.phi.load(services.settings);
    await convertPlaintextPhi(ctx, services.settings);
    await services.contacts.indexNames();
    await services.staff.init();
    await services.partners.syncFromEnv();
    await services.lookup.keys.syncFromEnv();
    await services.staff.ensureConfiguredAdmin();
    if (redis) await redisReady(redis, 3000);
    await services.instances.register();
    await services.messages.recoverOrphans();
    await services.idempotency.purgeExpired();
    await services.lookup.answers.watch();
    if (closed) return;
    const every = (ms: number, task: () => Promise<unknown>, what: string) => {
      const timer = setInterval(() => {
        task().catch((error: unknown) => logger.error({ err_message: (error as Error).message }, `${what} failed`));
      }, ms);
      timer.unref();
      timers.push(timer);
    };
    // Each heartbeat keeps this instance's leases and looks for work a dead instance left behind.
    services.instances.startHeartbeat(async () => {
      await Promise.all([services.webhookWorker.renewLeases(), services.messages.renewLeases()]);
      await services.messages.recoverOrphans();
    });
    every(PURGE_INTERVAL_MS, () => services.idempotency.purgeExpired(), 'idempotency purge');
    if (redis) every(RATE_LIMIT_PURGE_INTERVAL_MS, () => rateLimits.stores.purgeExpired(), 'rate-limit counter purge');
    // PGlite has no autovacuum: reclaim dead rows and refresh planner statistics ourselves.
    if (db.kind === 'pglite') every(MAINTENANCE_INTERVAL_MS, () => db.rows(sql`vacuum (analyze)`), 'database maintenance');
    // Polls at once, so deliveries left due by a previous run go out now.
    services.webhookWorker.start();
    // Likewise: reminders that fell due while no instance ran are queued now.
    services.bookingReminders.start();
    // Bookings left unwritten to calendars by a previous run go out now.
    services.calendarPushWorker.start();
    // Calendars are synced on their own schedule (off with CAREOS_CALENDAR_SYNC_INTERVAL_SECONDS=0).
    services.calendarSyncWorker.start();
  })();
  init.catch((error: unknown) => logger.error({ err_message: (error as Error).message, stack: (error as Error).stack }, 'start-up failed'));

  const app = express() as unknown as CareOSApp;
  app.disable('x-powered-by');
  app.set('etag', false);
  useDirectJson(app);
  app.use(requestContextMiddleware(logger));
  // Before the audit trail: a preflight is the browser asking, not a call of a route.
  app.use(corsMiddleware(config.allowedOrigins));
  // Before anything can refuse the request: every outcome of an audited route leaves a row.
  app.use(auditTrail(services.audit));
  if (config.validateResponses) app.use(contractCheck(logger));
  app.use((_req: Request, res: Response, next: NextFunction) => {
    init.then(
      () => next(),
      () => sendError(res, 503, { error: ErrorText.serviceUnavailable, code: ErrorCode.SERVICE_UNAVAILABLE, message: 'The server failed to start; see its log' }),
    );
  });

  const providerSignatures = new ProviderSignatures(config, clock, logger, services.calendarPush);
  const kit: HttpKit = { config, logger, services, rateLimits, attemptLimits, keys, expressPath, providerSignatures };
  const router = express.Router();
  // The router tries routes in the order bound: the hot ones first, so a contact centre's
  // lookups and partners' leads are not matched against every other route before their own.
  bindLookupRoutes(router, kit);
  bindLeadRoutes(router, kit);
  bindMetaRoutes(router, kit);
  bindPaymentRoutes(router, kit);
  bindAuthRoutes(router, kit);
  bindAdminRoutes(router, kit);
  bindIntegrationRoutes(router, kit);
  bindIntegrationAdminRoutes(router, kit);
  bindWebhookRoutes(router, kit);
  bindLookupAdminRoutes(router, kit);
  bindAuditAdminRoutes(router, kit);
  bindInventoryRoutes(router, kit);
  bindAlertRoutes(router, kit);
  bindContactRoutes(router, kit);
  bindDashboardRoutes(router, kit);
  bindBookingRoutes(router, kit);
  bindMessageRoutes(router, kit);
  bindIntegrationCheckRoutes(router, kit);
  bindCommsRoutes(router, kit);
  bindCalendarRoutes(router, kit);
  bindSandboxCalendarRoutes(router, kit);
  bindCalendarPushRoutes(router, kit);
  bindGraphPushRoutes(router, kit);
  bindProviderWebhookRoutes(router, kit);
  // The router would answer OPTIONS on every known path itself (200, text, an Allow list) where
  // the API answers a method a path does not serve with its 404 envelope.
  app.use((req: Request, res: Response, next: NextFunction) => (req.method === 'OPTIONS' ? notFound(req, res) : next()));
  app.use(router);
  app.use(notFound);
  app.use(errorHandler(logger));

  const flush = async (): Promise<void> => {
    do {
      await services.leads.drain();
      await services.messages.drain();
      await services.audit.flush();
    } while (services.audit.busy || services.messages.busy);
  };

  const listeningOn = (server: Server): void => {
    const address = server.address() as AddressInfo | string | null;
    if (!address || typeof address === 'string') return;
    // A wildcard address is no place to send a browser: the machine's own loopback is.
    const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
    services.sandboxCalendar.site.listeningAt(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
  };
  const expressListen = app.listen.bind(app) as (...args: unknown[]) => Server;
  const listen = (...args: unknown[]): Server => {
    const server = expressListen(...args);
    server.once('listening', () => listeningOn(server));
    return server;
  };

  return Object.assign(app, {
    listen,
    listeningOn,
    ready: () => init,
    flush,
    async close() {
      if (closed) return;
      closed = true;
      timers.splice(0).forEach(clearInterval);
      await init.catch(() => undefined);
      await services.webhookWorker.stop();
      await services.bookingReminders.stop();
      await services.calendarPushWorker.stop();
      await services.calendarSyncWorker.stop();
      await flush();
      services.messages.close();
      await rateLimits.stores.close();
      await services.lookup.answers.close();
      // Last: until now the heartbeat kept the leases of work in flight.
      await services.instances.stop().catch((error: unknown) => logger.warn({ err_message: (error as Error).message }, 'could not remove this instance from the instances table'));
      redis?.disconnect();
    },
    async seedDemo() {
      await init;
      const credentials = await services.demo.seed();
      await flush();
      return credentials;
    },
    async seedLookupScale(count: number) {
      await init;
      return seedLookupScale(db, ctx.phi, services.lookup.answers, count);
    },
    async seedContactScale(count: number) {
      await init;
      await seedContactScale(db, ctx.phi, count);
    },
    services,
    keyRing: keys,
    phi: ctx.phi,
    instanceId,
    logger,
  });
}
