import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CareOS } from '@careos/sdk';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '@careos/server-reference';
import { careosEnvVars, generatePartnerKeys, renderPartnerEnv, type PartnerKeys } from '../../src/lib/keygen.js';
import { tempDir } from './cli.js';

/** A real reference server (in-memory PGlite) with a fresh partner, and the partner.env the CLI reads. */
export interface CliFixture {
  server: RunningServer;
  keys: PartnerKeys;
  admin: { email: string; password: string };
  /** partner.env as `careos keys generate` writes it, pointing at this server. */
  partnerEnv: string;
  /** An admin SDK client, to check what the CLI did. */
  ops: CareOS;
  close(): Promise<void>;
}

/** Starts the fixture. */
export async function startFixture(extraEnv: Record<string, string> = {}): Promise<CliFixture> {
  const keys = await generatePartnerKeys('businessos', 'test');
  const admin = { email: 'ops@careos.test', password: 'correct horse battery staple' };
  const server = await startServer({
    port: 0,
    dataDir: 'memory',
    logger: false,
    env: { ...careosEnvVars(keys), CAREOS_ADMIN_EMAIL: admin.email, CAREOS_ADMIN_PASSWORD: admin.password, ...extraEnv },
  });
  const partnerEnv = join(tempDir(), 'partner.env');
  writeFileSync(partnerEnv, renderPartnerEnv(keys, server.url));
  const ops = new CareOS({ baseURL: server.url, staffEmail: admin.email, staffPassword: admin.password, maxRetries: 0 });
  return {
    server,
    keys,
    admin,
    partnerEnv,
    ops,
    async close() {
      await ops.close();
      await server.close();
    },
  };
}

/**
 * The fixture for one test file: started before its tests, closed after them. Read it inside
 * tests (its fields are there once `beforeAll` has run).
 */
export function useFixture(): CliFixture {
  const fixture = {} as CliFixture;
  beforeAll(async () => {
    Object.assign(fixture, await startFixture());
  });
  afterAll(async () => {
    await fixture.close?.();
  });
  return fixture;
}

/** Every lead the server holds (admin view). */
export async function allLeads(ops: CareOS) {
  const leads = [];
  for await (const lead of ops.admin.leads.list()) leads.push(lead);
  return leads;
}
