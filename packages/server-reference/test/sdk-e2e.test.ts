import { createServer as createTcpServer, connect, type Server, type Socket } from 'node:net';
import {
  AuthenticationError,
  BadRequestError,
  CareOS,
  RequestValidationError,
  UnprocessableEntityError,
  type AttemptInfo,
} from '@careos/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { BUSINESSOS, startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { count } from './helpers/db.js';
import { generateTestKeys } from './helpers/keys.js';
import { plainPhoneLead } from './helpers/leads.js';
import { phoneToken } from './helpers/phi.js';

const keys = generateTestKeys();

/**
 * A TCP proxy in front of the server that, for the first `drop` responses, lets the request
 * through and then cuts the client's connection as soon as the response starts: the server has
 * done (and committed) the work, the client never hears about it.
 */
async function droppingProxy(target: string, drop: number): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  const { port } = new URL(target);
  let dropped = 0;
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((client) => {
    const upstream = connect(Number(port), '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      requests += (chunk.toString('latin1').match(/^POST /gm) ?? []).length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (dropped < drop) {
        dropped += 1;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe.each(backendNames())('SDK against the reference server (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let client: CareOS;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys }) });
    client = new CareOS({
      baseURL: server.url,
      apiKey: BUSINESSOS.apiKey,
      platform: BUSINESSOS.platform,
      publicKey: keys.publicKeyPem,
      phoneHashSalt: BUSINESSOS.salt,
      retryBaseDelay: 10,
    });
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
    await backend?.dispose();
  });

  it('ingests a plain-phone lead, replays it with the same ids, and reads it back with its payment', async () => {
    const input = plainPhoneLead({ phone: '(415) 555-0177' });
    const first = await client.leads.ingest(input).withResponse();
    expect(first.data).toMatchObject({ success: true, careos_will_contact: true, is_new_user: true });
    const again = await client.leads.ingest(input).withResponse();
    expect(again.data).toEqual(first.data);
    expect(again.response.headers['idempotent-replayed']).toBe('true');

    const stored = await client.leads.retrieve(first.data.careos_lead_id);
    expect(stored).toMatchObject({ id: first.data.careos_lead_id, category: 'caregiver_hiring', careos_user_id: first.data.careos_user_id });
    expect(stored.payment).toMatchObject({ status: 'pending', amount: 15, lead_id: first.data.careos_lead_id });
    expect(await count(db, 'users', 'phone_bidx = $1', phoneToken(server.app, '+14155550177'))).toBe(1);
  });

  it('pages through payments with the async iterator', async () => {
    const sent = new Set<string>();
    for (let i = 0; i < 5; i++) sent.add((await client.leads.ingest(plainPhoneLead())).careos_lead_id);
    const seen: string[] = [];
    for await (const payment of client.partner.payments.list({ limit: 2 })) seen.push(payment.lead_id);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of sent) expect(seen).toContain(id);
  });

  it('survives a response lost after the server committed: the retry creates nothing new', async () => {
    const proxy = await droppingProxy(server.url, 1);
    const attempts: AttemptInfo[] = [];
    const viaProxy = new CareOS({
      baseURL: proxy.url,
      apiKey: BUSINESSOS.apiKey,
      platform: BUSINESSOS.platform,
      publicKey: keys.publicKeyPem,
      phoneHashSalt: BUSINESSOS.salt,
      retryBaseDelay: 10,
      hooks: { onAttempt: (info) => attempts.push(info) },
    });
    try {
      const input = plainPhoneLead();
      const result = await viaProxy.leads.ingest(input);
      expect(proxy.requests()).toBe(2);
      expect(attempts.map((a) => a.willRetry)).toEqual([true, false]);
      expect(attempts[0]!.error?.name).toBe('APIConnectionError');
      expect(await count(db, 'leads', 'source_conversation_id = $1', input.source_conversation_id)).toBe(1);
      expect(await count(db, 'users', 'phone_bidx = $1', phoneToken(server.app, input.phone))).toBe(1);
      expect(await count(db, 'partner_payments', 'lead_id = $1', result.careos_lead_id)).toBe(1);
      expect(await count(db, 'messages', 'lead_id = $1', result.careos_lead_id)).toBe(1);
      expect(result.is_new_user).toBe(true);
    } finally {
      await viaProxy.close();
      await proxy.close();
    }
  });

  it('surfaces server refusals as typed errors with the seed strings, codes and request ids', async () => {
    const wrongKey = new CareOS({ baseURL: server.url, apiKey: 'businessos_test_nope', platform: 'businessos', publicKey: keys.publicKeyPem, phoneHashSalt: BUSINESSOS.salt, maxRetries: 0 });
    const unauthorized = await wrongKey.leads.ingest(plainPhoneLead()).catch((e: unknown) => e);
    await wrongKey.close();
    expect(unauthorized).toBeInstanceOf(AuthenticationError);
    expect(unauthorized).toMatchObject({ status: 401, error: 'Invalid API key', code: 'AUTH_FAILED' });
    expect((unauthorized as AuthenticationError).requestId).toMatch(/^req_/);

    const otherSalt = new CareOS({ baseURL: server.url, apiKey: BUSINESSOS.apiKey, platform: 'businessos', publicKey: keys.publicKeyPem, phoneHashSalt: 'not-the-salt', maxRetries: 0 });
    const mismatch = await otherSalt.leads.ingest(plainPhoneLead()).catch((e: unknown) => e);
    await otherSalt.close();
    expect(mismatch).toBeInstanceOf(BadRequestError);
    expect(mismatch).toMatchObject({ error: 'Phone hash mismatch', code: 'PHONE_HASH_MISMATCH' });

    const input = plainPhoneLead();
    await client.leads.ingest(input);
    const changed = await client.leads.ingest({ ...input, lead_value_agreed: 99 }).catch((e: unknown) => e);
    expect(changed).toBeInstanceOf(UnprocessableEntityError);
    expect(changed).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });

    const before = await count(db, 'leads');
    const noConsent = await client.leads.ingest({ ...plainPhoneLead(), user_consent: false as true }).catch((e: unknown) => e);
    expect(noConsent).toBeInstanceOf(RequestValidationError);
    expect(await count(db, 'leads')).toBe(before);
  });
});
