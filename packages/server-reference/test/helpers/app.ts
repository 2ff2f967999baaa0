import { once } from 'node:events';
import type { AddressInfo, LookupFunction } from 'node:net';
import { createApp, loadConfig, type CareOSApp, type Clock, type Database, type Providers, type ServerConfig } from '../../src/index.js';
import { createLogger } from '../../src/logging/logger.js';
import type { TestKeyPair } from './keys.js';

/** A partner as tests configure it. */
export interface PartnerFixture {
  platform: string;
  apiKey: string;
  salt: string;
}

/** The default test partner. */
export const BUSINESSOS: PartnerFixture = {
  platform: 'businessos',
  apiKey: 'businessos_test_Q3kd9F0aLw2mZx7Pq1Rt5Vb8Nc4Hy6Ju',
  salt: 'test-salt-3f9a1c7e5b2d',
};

/** Environment configuring `partners` and the encryption keys, plus `extra`. */
export function testEnv(options: {
  partners?: PartnerFixture[];
  keys: TestKeyPair;
  previousKeys?: TestKeyPair;
  extra?: Record<string, string | undefined>;
}): NodeJS.ProcessEnv {
  const partners = options.partners ?? [BUSINESSOS];
  const env: NodeJS.ProcessEnv = {
    CAREOS_PARTNERS: partners.map((p) => p.platform).join(','),
    CAREOS_PRIVATE_KEY: options.keys.privateKeyPem,
    CAREOS_PUBLIC_KEY: options.keys.publicKeyPem,
    CAREOS_RATE_LIMIT_LEADS: '100000',
    CAREOS_JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
  };
  for (const p of partners) {
    env[`${p.platform.toUpperCase()}_API_KEY`] = p.apiKey;
    env[`${p.platform.toUpperCase()}_PHONE_HASH_SALT`] = p.salt;
  }
  if (options.previousKeys) env.CAREOS_PRIVATE_KEY_PREVIOUS = options.previousKeys.privateKeyPem;
  return { ...env, ...options.extra };
}

/** A running app on 127.0.0.1:0 with its log lines captured. */
export interface TestApp {
  app: CareOSApp;
  url: string;
  config: ServerConfig;
  /** Every log line written so far (JSON text). */
  logs: string[];
  close(): Promise<void>;
}

/** Starts an app on a random loopback port, validating every response against the contract. */
export async function startApp(options: {
  db: Database;
  env: NodeJS.ProcessEnv;
  clock?: Clock;
  providers?: Partial<Providers>;
  /** Resolves webhook host names instead of the system resolver. */
  webhookLookup?: LookupFunction;
}): Promise<TestApp> {
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(line) } });
  const config: ServerConfig = { ...loadConfig(options.env), validateResponses: true };
  const app = createApp({
    db: options.db,
    config,
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.providers ? { providers: options.providers } : {}),
    ...(options.webhookLookup ? { webhookLookup: options.webhookLookup } : {}),
  });
  await app.ready();
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  let closed = false;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    config,
    logs,
    async close() {
      if (closed) return;
      closed = true;
      const done = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await done;
      await app.close();
    },
  };
}

/** Headers a partner sends. */
export function partnerHeaders(partner: PartnerFixture = BUSINESSOS, extra: Record<string, string> = {}): Record<string, string> {
  return { 'x-api-key': partner.apiKey, 'x-platform': partner.platform, ...extra };
}
