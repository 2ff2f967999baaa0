import { CareOS } from '@careos/sdk';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type DemoCredentials, type RunningServer } from '@careos/server-reference';

/** A real reference server (in-memory PGlite) with the demo data: a lead partner, an admin, and the integration caseload. */
export interface DemoFixture {
  server: RunningServer;
  demo: DemoCredentials;
  /** An admin SDK client, to set up and check what the CLI did. */
  ops: CareOS;
  /** Environment for `runCli` that supplies the demo integration credentials and the server URL. */
  integrationEnv(): Record<string, string>;
  /** Environment for `runCli` that supplies the demo admin login and the server URL. */
  adminEnv(): Record<string, string>;
  /** Environment for `runCli` that supplies the demo lookup key and the server URL. */
  lookupEnv(): Record<string, string>;
  close(): Promise<void>;
}

/** Options of {@link startDemoFixture}. */
export interface DemoFixtureOptions {
  /** Extra server environment. */
  env?: Record<string, string>;
  /** The server's clock: move it forward to expire the tokens it issued. */
  now?: () => Date;
}

/** Starts the demo server. */
export async function startDemoFixture(options: DemoFixtureOptions = {}): Promise<DemoFixture> {
  const server = await startServer({
    port: 0,
    dataDir: 'memory',
    seed: 'demo',
    logger: false,
    // Every CLI run exchanges the key for a token, so a test file's runs add up; the seed's 100 a
    // minute is not what these tests are about.
    env: { CAREOS_RATE_LIMIT_INTEGRATION: '100000', ...options.env },
    ...(options.now ? { clock: { now: options.now } } : {}),
  });
  const demo = server.demoCredentials;
  if (!demo) throw new Error('the demo seed returned no credentials');
  const ops = new CareOS({ baseURL: server.url, staffEmail: demo.admin.email, staffPassword: demo.admin.password, maxRetries: 0, env: {} });
  return {
    server,
    demo,
    ops,
    integrationEnv: () => ({
      CAREOS_API_URL: server.url,
      CAREOS_INTEGRATION_API_KEY: demo.integration.apiKey,
      CAREOS_INTEGRATION_API_SECRET: demo.integration.apiSecret,
      CAREOS_THERAPIST_ID: demo.integration.therapistId,
    }),
    adminEnv: () => ({ CAREOS_API_URL: server.url, CAREOS_ADMIN_EMAIL: demo.admin.email, CAREOS_ADMIN_PASSWORD: demo.admin.password }),
    lookupEnv: () => ({ CAREOS_API_URL: server.url, CAREOS_LOOKUP_API_KEY: demo.lookup.apiKey }),
    async close() {
      await ops.close();
      await server.close();
    },
  };
}

/**
 * GETs an integration route with a fresh token, by hand (no SDK), so tests can compare the CLI's
 * `--json` with exactly what the API sends.
 */
export async function rawIntegrationGet(fx: DemoFixture, path: string): Promise<unknown> {
  const { apiKey, apiSecret, therapistId } = fx.demo.integration;
  const auth = await fetch(`${fx.server.url}/api/integration/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey, apiSecret, therapistId }),
  });
  const { token } = (await auth.json()) as { token: string };
  const response = await fetch(`${fx.server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * The demo server for one test file: started before its tests, closed after them. Read it inside
 * tests (its fields are there once `beforeAll` has run).
 */
export function useDemoFixture(options: DemoFixtureOptions = {}): DemoFixture {
  const fixture = {} as DemoFixture;
  beforeAll(async () => {
    Object.assign(fixture, await startDemoFixture(options));
  }, 60_000);
  afterAll(async () => {
    await fixture.close?.();
  });
  return fixture;
}
