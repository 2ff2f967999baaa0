import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { publicKeyId } from '@careos/contract';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalMasterKey, systemClock, type Database } from '../src/index.js';
import { loadDataKeyRing, MasterKeyMismatchError } from '../src/services/data-keys.js';
import { DataKey } from '../src/crypto/data-key.js';
import { SettingKey } from '../src/services/settings.js';
import { webhookSecretContext } from '../src/services/webhooks/secrets.js';
import { startApp, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';

/** A webhook endpoint row as earlier versions wrote it: the secret encrypted directly with the old data key. */
async function legacyEndpoint(db: Database, id: string, key: DataKey, secret: string): Promise<void> {
  const now = new Date().toISOString();
  await db.rows(sql`
    insert into webhook_endpoints (id, owner_kind, owner_id, url, events, secret_ciphertext, created_at, updated_at)
    values (${id}, 'partner', 'ptn_upgrade', 'http://127.0.0.1:9/hook', '["payment.paid"]'::jsonb, ${key.encrypt(secret, `webhook_endpoint:${id}`)}, ${now}::timestamptz, ${now}::timestamptz)`);
}

describe.each(backendNames())('upgrading a database written before encryption at rest (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  const storedDataKey = DataKey.generate();
  const envDataKey = randomBytes(32);
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const jwt = randomBytes(48).toString('base64url');
  const secrets = { whep_stored: `whsec_${randomBytes(32).toString('base64')}`, whep_env: `whsec_${randomBytes(32).toString('base64')}` };

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    // What the previous version left: settings in clear, its generated data key among them,
    // and webhook secrets under that key or under CAREOS_DATA_KEY.
    const now = new Date().toISOString();
    for (const [key, value] of [[SettingKey.jwtSecret, jwt], [SettingKey.devPrivateKey, pem], ['data_key', storedDataKey.toBase64()]]) {
      await db.rows(sql`insert into settings (key, value, updated_at) values (${key}, ${value}, ${now}::timestamptz)`);
    }
    await legacyEndpoint(db, 'whep_stored', storedDataKey, secrets.whep_stored);
    await legacyEndpoint(db, 'whep_env', new DataKey(envDataKey), secrets.whep_env);
    // CAREOS_DATA_KEY alone becomes the master key (deprecated alias) and still opens what it encrypted.
    server = await startApp({ db, env: { CAREOS_DATA_KEY: envDataKey.toString('base64') } });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('encrypts every clear setting in place, keeping its value', async () => {
    const rows = await query<{ key: string; value: string; key_id: string | null }>(db, 'select key, value, key_id from settings');
    const ring = await server.app.services.dataKeys.ring();
    expect(rows.every((r) => r.key_id === ring.active.id)).toBe(true);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain('PRIVATE KEY');
    expect(stored).not.toContain(jwt);
    expect(await server.app.services.settings.get(SettingKey.jwtSecret)).toBe(jwt);
    // The development key pair is the same one, so partners' key id does not change.
    const published = await call(server.url, 'GET', '/api/keys/public');
    expect(published.body.key_id).toBe(publicKeyId(createPublicKey(pem)));
  });

  it('re-encrypts old webhook secrets under the data keys and deletes the old generated key', async () => {
    const ring = await server.app.services.dataKeys.ring();
    const endpoints = await query<{ id: string; secret_ciphertext: string }>(db, 'select id, secret_ciphertext from webhook_endpoints order by id');
    expect(endpoints.map((e) => DataKey.keyIdOf(e.secret_ciphertext))).toEqual([ring.active.id, ring.active.id]);
    for (const e of endpoints) expect(ring.decrypt(e.secret_ciphertext, webhookSecretContext(e.id))).toBe(secrets[e.id as keyof typeof secrets]);
    expect(await query(db, "select key from settings where key = 'data_key'")).toEqual([]);
    expect(server.logs.filter((l) => l.includes('CAREOS_DATA_KEY is deprecated'))).toHaveLength(1);
  });

  it('is a no-op at the next start, which reads everything back', async () => {
    const before = await query(db, 'select key, value from settings order by key');
    const again = await startApp({ db, env: { CAREOS_DATA_KEY: envDataKey.toString('base64') } });
    try {
      expect(await query(db, 'select key, value from settings order by key')).toEqual(before);
      expect(await again.app.services.settings.get(SettingKey.jwtSecret)).toBe(jwt);
    } finally {
      await again.close();
    }
  });
});

describe('an old webhook secret under a key the server does not have', () => {
  it('stops the start with a message saying which key to provide', async () => {
    const backend = await createBackend('pglite');
    try {
      const db = await backend.open();
      await legacyEndpoint(db, 'whep_lost', DataKey.generate(), 'whsec_lost');
      const error = (await startApp({ db, env: {} }).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toMatch(/webhook endpoint whep_lost is encrypted with data key [0-9a-f]{8}, which this server does not have: set CAREOS_DATA_KEY/);
    } finally {
      await backend.dispose();
    }
  });

  it('warns once when an in-memory database runs on an ephemeral master key', async () => {
    const backend = await createBackend('pglite');
    try {
      const server = await startApp({ db: await backend.open(), env: {} });
      await server.close();
      expect(server.logs.filter((l) => l.includes('CAREOS_MASTER_KEY is not set'))).toHaveLength(1);
    } finally {
      await backend.dispose();
    }
  });
});

describe.each(backendNames())('data keys of a new database (%s)', (backendName) => {
  it('instances starting together agree on one data key, stored only wrapped', async () => {
    const backend = await createBackend(backendName);
    try {
      const dbs = backendName === 'postgres' ? await Promise.all([1, 2, 3, 4].map(() => backend.open())) : [await backend.open()];
      const master = LocalMasterKey.generate('test');
      const rings = await Promise.all([0, 1, 2, 3].map((i) => loadDataKeyRing(dbs[i % dbs.length]!, master, systemClock)));
      expect(new Set(rings.map((r) => r.active.id)).size).toBe(1);
      const rows = await query<{ id: string; wrapped_key: string; master_key_id: string; active: boolean }>(dbs[0]!, 'select * from data_keys');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: rings[0]!.active.id, master_key_id: master.id, active: true });
      expect(rows[0]!.wrapped_key).not.toContain(rings[0]!.active.toBase64());
      await expect(loadDataKeyRing(dbs[0]!, LocalMasterKey.generate('another'), systemClock)).rejects.toThrow(MasterKeyMismatchError);
    } finally {
      await backend.dispose();
    }
  });
});
