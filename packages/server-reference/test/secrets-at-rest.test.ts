import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hashPhone } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS_FILE, LocalMasterKey, masterKeyFileFor, rotateMasterKey, startServer, type DemoCredentials, type RunningServer } from '../src/index.js';
import { SettingKey } from '../src/services/settings.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { leadBody, uniquePhone } from './helpers/leads.js';

/** Every file under `dir` (and `dir` itself) with its mode. */
async function walk(dir: string): Promise<{ path: string; isDir: boolean; mode: number }[]> {
  const found = [{ path: dir, isDir: true, mode: (await lstat(dir)).mode & 0o777 }];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    found.push({ path, isDir: entry.isDirectory(), mode: (await lstat(path)).mode & 0o777 });
  }
  return found;
}

/** Entries of `dir` that are not 0700 (directories) or 0600 (files). */
async function loosePermissions(dir: string): Promise<string[]> {
  return (await walk(dir)).filter((e) => e.mode !== (e.isDir ? 0o700 : 0o600)).map((e) => `${e.path} ${e.mode.toString(8)}`);
}

/** The ways a secret could appear in stored bytes. */
function forms(secret: string | Buffer): Buffer[] {
  if (typeof secret === 'string') return [Buffer.from(secret)];
  return [secret, Buffer.from(secret.toString('base64')), Buffer.from(secret.toString('base64url')), Buffer.from(secret.toString('hex'))];
}

/** Which of `secrets` (by name) occur in `bytes`. */
function leaked(bytes: Buffer, secrets: Record<string, string | Buffer>): string[] {
  return Object.entries(secrets)
    .filter(([, secret]) => forms(secret).some((form) => bytes.includes(form)))
    .map(([name]) => name);
}

/** Seeds the demo, sends a lead with the demo partner's credentials and registers a webhook; returns the secrets to look for. */
async function exercise(server: RunningServer): Promise<Record<string, string | Buffer>> {
  const demo = server.demoCredentials as DemoCredentials;
  const phone = uniquePhone();
  const keys = { publicKeyPem: demo.partner.publicKeyPem, privateKeyPem: '', keyId: demo.partner.keyId };
  const headers = { 'x-api-key': demo.partner.apiKey, 'x-platform': demo.partner.platform };
  for (let i = 0; i < 3; i++) {
    const lead = await call(server.url, 'POST', '/api/leads/ingest', { json: { ...leadBody({ keys, phone }), user_phone_hash: hashPhone(phone, demo.partner.phoneHashSalt) }, headers });
    expect(lead.status).toBe(200);
  }
  const { apiKey, apiSecret, therapistId } = demo.integration;
  expect((await call(server.url, 'POST', '/api/integration/auth', { json: { apiKey, apiSecret, therapistId } })).status).toBe(200);
  const hook = await call(server.url, 'POST', '/api/partner/webhooks', { json: { url: 'http://127.0.0.1:9/hook' }, headers });
  expect(hook.status).toBe(201);
  await server.app.flush();
  const settings = server.app.services.settings;
  const ring = await server.app.services.dataKeys.ring();
  const secrets = {
    jwt_secret: (await settings.get(SettingKey.jwtSecret))!,
    integration_jwt_secret: (await settings.get(SettingKey.integrationJwtSecret))!,
    data_key: ring.active.toBytes(),
    webhook_secret: hook.body.secret as string,
    demo_lookup_key: demo.lookup.apiKey,
  };
  expect(Object.values(secrets).every((s) => s.length >= 32)).toBe(true);
  expect(await settings.get(SettingKey.devPrivateKey)).toContain('PRIVATE KEY');
  return secrets;
}

/** What must not appear in clear anywhere in the stored rows. */
async function rawSettings(server: RunningServer): Promise<Buffer> {
  const rows = await query<{ key: string; value: string; key_id: string | null }>(server.db, 'select key, value, key_id from settings');
  expect(rows.length).toBeGreaterThanOrEqual(5);
  expect(rows.filter((r) => r.key_id === null)).toEqual([]);
  const wrapped = await query<{ wrapped_key: string }>(server.db, 'select wrapped_key from data_keys');
  const endpoints = await query<{ secret_ciphertext: string }>(server.db, 'select secret_ciphertext from webhook_endpoints');
  return Buffer.from(JSON.stringify([rows, wrapped, endpoints]));
}

const MASTER = randomBytes(32).toString('base64');

describe.each(backendNames())('secrets at rest (%s)', (backendName) => {
  let backend: TestBackend | undefined;
  let root: string;
  let dataDir: string | null;
  const start = (env: NodeJS.ProcessEnv, seed?: string) =>
    startServer({ port: 0, logger: false, env, ...(backend ? { databaseUrl: backend.databaseUrl!, dataDir: null } : { dataDir: dataDir! }), ...(seed ? { seed } : {}) });
  // PGlite: the key file beside the data directory; PostgreSQL: CAREOS_MASTER_KEY.
  const firstEnv = (): NodeJS.ProcessEnv => (backend ? { CAREOS_MASTER_KEY: MASTER } : {});

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'careos-at-rest-'));
    dataDir = backendName === 'pglite' ? join(root, 'data') : null;
    if (backendName === 'postgres') backend = await createBackend('postgres');
  });
  afterAll(async () => {
    await backend?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  let secrets: Record<string, string | Buffer>;
  let jwtSecret: string;

  it('after the demo and leads, no private key, signing secret or data key is stored in clear, and the data directory is owner-only', async () => {
    const server = await start(firstEnv(), 'demo');
    try {
      secrets = await exercise(server);
      jwtSecret = secrets.jwt_secret as string;
      const rows = await rawSettings(server);
      expect(rows.includes('PRIVATE KEY')).toBe(false);
      expect(leaked(rows, secrets)).toEqual([]);
      if (dataDir) expect(await loosePermissions(dataDir)).toEqual([]);
    } finally {
      await server.close();
    }

    let stored: Buffer;
    if (dataDir) {
      expect(await loosePermissions(dataDir)).toEqual([]);
      const files = (await walk(dataDir)).filter((e) => !e.isDir);
      expect(files.length).toBeGreaterThan(500);
      // demo-credentials.json hands the demo's own credentials to the developer, by design; it
      // holds no private key, signing secret or data key, which the whole directory is checked for.
      const whole = Buffer.concat(await Promise.all(files.map((f) => readFile(f.path))));
      const { demo_lookup_key: _handedOut, ...keys } = secrets;
      expect(whole.includes('PRIVATE KEY')).toBe(false);
      expect(leaked(whole, keys)).toEqual([]);
      stored = Buffer.concat(await Promise.all(files.filter((f) => !f.path.endsWith(DEMO_CREDENTIALS_FILE)).map((f) => readFile(f.path))));
      // The key that unwraps everything lives beside the directory, 0600, never inside it.
      const keyFile = masterKeyFileFor(dataDir);
      expect((await lstat(keyFile)).mode & 0o777).toBe(0o600);
      secrets.master_key = Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64');
    } else {
      const { stdout } = await promisify(execFile)('pg_dump', ['--no-owner', backend!.databaseUrl!], { maxBuffer: 256 * 1024 * 1024 });
      stored = Buffer.from(stdout);
      expect(stdout).toContain('COPY public.settings');
      secrets.master_key = Buffer.from(MASTER, 'base64');
    }
    expect(stored.includes('PRIVATE KEY')).toBe(false);
    expect(leaked(stored, secrets)).toEqual([]);
  });

  it('rotates the master key: the server restarts with the new key, and the old key is refused with a clear message', async () => {
    const oldKey = dataDir ? Buffer.from((await readFile(masterKeyFileFor(dataDir), 'utf8')).trim(), 'base64').toString('base64') : MASTER;
    const newKey = LocalMasterKey.generate('the new key');
    const rotated = await rotateMasterKey({ ...(backend ? { databaseUrl: backend.databaseUrl! } : { dataDir: dataDir! }), env: firstEnv(), newKey });
    expect(rotated).toMatchObject({ newKeyId: newKey.id, rewrapped: 1, keyFile: dataDir ? masterKeyFileFor(dataDir) : null });
    if (dataDir) expect((await readFile(masterKeyFileFor(dataDir), 'utf8')).trim()).toBe(newKey.toBase64());

    const afterEnv = backend ? { CAREOS_MASTER_KEY: newKey.toBase64() } : {};
    const server = await start(afterEnv);
    try {
      expect(await server.app.services.settings.get(SettingKey.jwtSecret)).toBe(jwtSecret);
      const audit = await query<{ route: string; subject_id: string }>(server.db, "select route, subject_id from audit_log where method = 'CLI'");
      expect(audit).toEqual([{ route: 'careos server rotate-master-key', subject_id: newKey.id }]);
    } finally {
      await server.close();
    }

    const refused = await start({ CAREOS_MASTER_KEY: oldKey }).catch((error: unknown) => error as Error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain(`wrapped by master key ${newKey.id}, but the master key given is ${rotated.oldKeyId} (CAREOS_MASTER_KEY)`);
    expect((refused as Error).message).toContain('careos server rotate-master-key');
    // Rotating again from the old key is refused the same way.
    await expect(rotateMasterKey({ ...(backend ? { databaseUrl: backend.databaseUrl! } : { dataDir: dataDir! }), env: { CAREOS_MASTER_KEY: oldKey }, newKey: LocalMasterKey.generate('x') })).rejects.toThrow(
      `wrapped by master key ${newKey.id}`,
    );
  });
});

describe('production mode', () => {
  it('refuses to start without a master key, before touching the data directory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'careos-prod-'));
    try {
      const dataDir = join(root, 'data');
      const error = (await startServer({ port: 0, logger: false, dataDir, env: { CAREOS_ENV: 'production' } }).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('ConfigError');
      expect(error.message).toContain('CAREOS_MASTER_KEY (or CAREOS_MASTER_KEY_FILE) is required when CAREOS_ENV=production');
      expect(existsSync(dataDir)).toBe(false);
      expect(existsSync(masterKeyFileFor(dataDir))).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('starts with a master key provider given in code (a KMS stand-in) and records its id beside the data key', async () => {
    const local = LocalMasterKey.generate('kms stand-in');
    const calls: string[] = [];
    const kms = {
      id: 'kms:projects/test/keys/careos/1',
      description: 'a test KMS',
      wrap: (key: Buffer, context: string) => (calls.push(`wrap ${context}`), local.wrap(key, context)),
      unwrap: (wrapped: string, context: string) => (calls.push(`unwrap ${context}`), local.unwrap(wrapped, context)),
    };
    const server = await startServer({ port: 0, logger: false, dataDir: null, env: { CAREOS_ENV: 'production' }, masterKey: kms });
    try {
      const [row] = await query<{ id: string; master_key_id: string }>(server.db, 'select id, master_key_id from data_keys');
      expect(row!.master_key_id).toBe(kms.id);
      expect(calls).toEqual([`wrap data_keys.wrapped_key:${row!.id}`, `unwrap data_keys.wrapped_key:${row!.id}`]);
    } finally {
      await server.close();
    }
  });
});
