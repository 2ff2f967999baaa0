import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebhookDeliveryDetail } from '@careos/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { INTERRUPTED_ERROR } from '../src/workers/webhook-delivery.js';
import { BUSINESSOS, partnerHeaders } from './helpers/app.js';
import { backendNames, createBackend } from './helpers/backends.js';
import { startChildServer, type ChildServer } from './helpers/child-server.js';
import { call } from './helpers/http.js';
import { eventually } from './helpers/webhook-receiver.js';
import { removeDataDir } from './helpers/data-dir.js';

const ADMIN = { CAREOS_ADMIN_EMAIL: 'ops@careos.test', CAREOS_ADMIN_PASSWORD: 'correct horse battery' };
const env = {
  CAREOS_PARTNERS: 'businessos',
  BUSINESSOS_API_KEY: BUSINESSOS.apiKey,
  BUSINESSOS_PHONE_HASH_SALT: BUSINESSOS.salt,
  ...ADMIN,
  CAREOS_WEBHOOK_RETRY_SCHEDULE: '0,1,1,1,1',
  // On PostgreSQL the killed instance counts as dead after 4 missed heartbeats: 4 s here.
  CAREOS_HEARTBEAT_INTERVAL_MS: '1000',
};

/** A webhook receiver that never answers its first request (the sender dies meanwhile) and answers 200 after. */
async function holdingReceiver() {
  const received: IncomingHttpHeaders[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(req.headers);
      if (received.length === 1) held.push(res);
      else res.writeHead(200).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/careos`,
    received,
    waitFor: (n: number, timeoutMs: number) => eventually(() => received.length >= n && received.slice(0, n), timeoutMs),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.each(backendNames())('webhook delivery after kill -9 (careos-server on %s)', (backendName) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const start = async (args: string[]): Promise<ChildServer> => {
    const server = await startChildServer(args, env);
    cleanups.push(async () => {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await server.exited;
    });
    return server;
  };
  const adminHeaders = async (url: string) => {
    const login = await call(url, 'POST', '/auth/login', { json: { email: ADMIN.CAREOS_ADMIN_EMAIL, password: ADMIN.CAREOS_ADMIN_PASSWORD } });
    expect(login.status).toBe(200);
    return { authorization: `Bearer ${login.body.access_token}` };
  };

  it('resends the attempt a killed instance left in flight within 10 s of the restart, with the interrupted attempt in the history', async () => {
    let args: string[];
    if (backendName === 'postgres') {
      const backend = await createBackend('postgres');
      cleanups.push(() => backend.dispose());
      args = ['--database-url', backend.databaseUrl!];
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'careos-crash-'));
      cleanups.push(() => removeDataDir(dir));
      args = ['--data-dir', dir];
    }
    const receiver = await holdingReceiver();
    cleanups.push(() => receiver.close());

    const first = await start(args);
    const registered = await call(first.url, 'POST', '/api/partner/webhooks', { json: { url: receiver.url }, headers: partnerHeaders() });
    expect(registered.status).toBe(201);
    const triggered = await call(first.url, 'POST', '/admin/sandbox/webhooks/trigger', { json: { event: 'payment.paid', partner: 'businessos' }, headers: await adminHeaders(first.url) });
    expect(triggered.status).toBe(200);
    const [deliveryId] = triggered.body.delivery_ids as string[];

    // The first attempt is on the wire, unanswered, when the process dies.
    await receiver.waitFor(1, 10_000);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await start(args);
    const [held, resent] = await receiver.waitFor(2, 10_000);
    expect(resent!['webhook-id']).toBe(deliveryId);
    expect(held!['webhook-id']).toBe(deliveryId);

    const admin = await adminHeaders(second.url);
    const delivery = await eventually(async () => {
      const res = await call(second.url, 'GET', `/admin/webhooks/deliveries/${deliveryId}`, { headers: admin });
      return res.body.status === 'delivered' && WebhookDeliveryDetail.parse(res.body);
    });
    expect(delivery.attempts).toBe(2);
    expect(delivery.attempt_history.map((a) => [a.attempt, a.outcome, a.status_code, a.error])).toEqual([
      [1, 'interrupted', null, INTERRUPTED_ERROR],
      [2, 'delivered', 200, null],
    ]);

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });
});
