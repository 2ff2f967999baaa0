import { createServer, type Server } from 'node:http';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { createApp, type CareOSApp } from './app.js';
import { trackConnections } from './http/connection-drain.js';
import { loadConfig } from './config/load-config.js';
import type { ServerConfig } from './config/server-config.js';
import type { Database } from './db/database.js';
import { openDatabase } from './db/open-database.js';
import type { MasterKeyProvider } from './crypto/master-key.js';
import type { Clock } from './domain/clock.js';
import { createLogger, silentLogger } from './logging/logger.js';
import type { Providers } from './providers/types.js';
import type { DemoCredentials } from './services/demo.js';
import type { ScaleSeedResult } from './services/lookup/scale-seed.js';
import { parseSeedSpec, type SeedSpec } from './seed-spec.js';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Port (default 8000; 0 picks a free one). */
  port?: number;
  /** Interface to bind (default `127.0.0.1`). */
  host?: string;
  /** PGlite data directory (default `.careos/data`); `null` or `'memory'` for an in-memory database. */
  dataDir?: string | null;
  /** PostgreSQL URL (default `env.DATABASE_URL`); when set, PGlite is not used. */
  databaseUrl?: string;
  /**
   * What to load at start: `'demo'` (the demo data, and `<dataDir>/demo-credentials.json`),
   * `'lookup-scale=<N>'` (N generated lookup cases, for benchmarks), both comma-separated
   * (`'demo,lookup-scale=100000'`), or the parsed {@link SeedSpec}.
   */
  seed?: string | SeedSpec;
  /** Environment to configure from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** A pino logger, or `false` for none (default: pino to stdout). */
  logger?: Logger | false;
  /** Level of the default logger (default `CAREOS_LOG_LEVEL` or `info`). */
  logLevel?: string;
  /** Replace the SMS or payout provider chosen from the environment. */
  providers?: Partial<Providers>;
  /** Source of "now". */
  clock?: Clock;
  /**
   * Shut down gracefully on SIGTERM/SIGINT (see {@link RunningServer.close}), then exit the
   * process: status 0, or 1 when the shutdown failed or outlasted `CAREOS_SHUTDOWN_GRACE_MS`.
   */
  handleSignals?: boolean;
  /**
   * The master key that wraps the data keys, in place of `CAREOS_MASTER_KEY` (say, a cloud KMS
   * behind {@link MasterKeyProvider}); with it, production mode needs no key in the environment.
   */
  masterKey?: MasterKeyProvider;
}

/** A listening server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8000`. */
  url: string;
  port: number;
  app: CareOSApp;
  db: Database;
  config: ServerConfig;
  /** With `seed: 'demo'`: the demo credentials (also written to the data directory unless in memory). */
  demoCredentials?: DemoCredentials;
  /** With `seed: 'lookup-scale=<N>'`: what was generated. */
  lookupScale?: ScaleSeedResult;
  /**
   * Stops gracefully: stops accepting connections, answers every request already received (the
   * last on each connection with `Connection: close`), closes connections once quiet, then
   * finishes background work and closes Redis and the database. Connections still open after
   * two thirds of `CAREOS_SHUTDOWN_GRACE_MS` are closed.
   */
  close(): Promise<void>;
}

/** Share of the shutdown grace given to answering requests; the rest is for background work. */
const CONNECTION_SHARE_OF_GRACE = 2 / 3;
/**
 * While stopping, a connection with nothing in flight is closed once no byte has arrived on it
 * for this long: a request a client sent just before the signal is still on its way in.
 */
export const SHUTDOWN_QUIET_MS = 500;

/** Name of the demo credentials file inside the data directory. */
export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json';

async function writeDemoCredentials(dataDir: string, credentials: DemoCredentials): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, DEMO_CREDENTIALS_FILE);
  await writeFile(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolveListen(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * Opens the database (PGlite in a data directory by default, PostgreSQL with a URL), builds
 * the app, optionally seeds the demo data, and listens.
 *
 * @throws {@link ConfigError} for a bad environment, or the listen/database error.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const seed: SeedSpec = typeof options.seed === 'string' ? parseSeedSpec(options.seed) : (options.seed ?? { demo: false, lookupScale: null });
  const loaded = loadConfig(env, { providerGiven: options.masterKey !== undefined });
  const databaseUrl = options.databaseUrl ?? loaded.databaseUrl ?? undefined;
  // The demo is for trying things locally: it offers the sandbox calendar too.
  const integrations = seed.demo ? { ...loaded.integrations, calendarSandbox: true } : loaded.integrations;
  const config: ServerConfig = { ...loaded, databaseUrl: databaseUrl ?? null, integrations };
  const logger = options.logger === false ? silentLogger() : (options.logger ?? createLogger({ level: options.logLevel ?? config.logLevel }));
  const dataDir = options.dataDir === null || options.dataDir === 'memory' ? null : resolve(options.dataDir ?? '.careos/data');

  // One database per server: no in-memory template (see openDatabase).
  const db = await openDatabase({ databaseUrl, dataDir: databaseUrl ? undefined : (dataDir ?? undefined), memoryTemplate: false });
  const app = createApp({ db, config, logger, ...(options.masterKey ? { masterKey: options.masterKey } : {}), ...(options.clock ? { clock: options.clock } : {}), ...(options.providers ? { providers: options.providers } : {}) });
  const server = createServer(app);
  const connections = trackConnections(server);
  let port: number;
  let demoCredentials: DemoCredentials | undefined;
  let lookupScale: ScaleSeedResult | undefined;
  try {
    await app.ready();
    if (seed.demo) {
      demoCredentials = await app.seedDemo();
      if (dataDir) {
        const path = await writeDemoCredentials(dataDir, demoCredentials);
        logger.info({ path }, 'demo credentials written');
      }
    }
    if (seed.lookupScale !== null) {
      lookupScale = await app.seedLookupScale(seed.lookupScale);
      logger.info({ patients: lookupScale.patients, cases: lookupScale.cases, ms: lookupScale.ms }, 'lookup cases generated');
    }
    port = await listen(server, options.port ?? 8000, options.host ?? '127.0.0.1');
    app.listeningOn(server);
  } catch (error) {
    await app.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, database: db.kind, data_dir: db.dataDir }, 'CareOS reference server listening');

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      await connections.drain({ deadlineMs: Math.round(config.lifecycle.shutdownGraceMs * CONNECTION_SHARE_OF_GRACE), quietMs: SHUTDOWN_QUIET_MS });
      await app.close();
      await db.close();
      logger.info('CareOS reference server stopped');
    })();
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal, grace_ms: config.lifecycle.shutdownGraceMs }, 'shutting down');
    setTimeout(() => {
      logger.error({ grace_ms: config.lifecycle.shutdownGraceMs }, 'shutdown took longer than its grace; exiting');
      process.exit(1);
    }, config.lifecycle.shutdownGraceMs).unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err_message: (error as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  if (options.handleSignals) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  return { url, port, app, db, config, ...(demoCredentials ? { demoCredentials } : {}), ...(lookupScale ? { lookupScale } : {}), close };
}
