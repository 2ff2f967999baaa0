import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify } from '@careos/webhook-verifier';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { generateTestKeys } from './helpers/keys.js';
import { eventually, freePort, startReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';
import { removeDataDir } from './helpers/data-dir.js';

const keys = generateTestKeys();
/** Long enough between attempts to restart the server in the gap. */
const env = testEnv({ keys, extra: { CAREOS_WEBHOOK_RETRY_SCHEDULE: '0,1,1,1,1' } });

describe.each(backendNames())('webhook delivery across a restart (%s)', (backendName) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** Opens the same database again each time, as a restarted process would. */
  async function database(): Promise<{ open(): Promise<Database>; closeAfterApp: boolean }> {
    if (backendName === 'postgres') {
      const backend: TestBackend = await createBackend('postgres');
      cleanups.push(() => backend.dispose());
      return { open: () => backend.open(), closeAfterApp: false };
    }
    const dir = await mkdtemp(join(tmpdir(), 'careos-webhooks-'));
    cleanups.push(() => removeDataDir(dir));
    return { open: () => openDatabase({ dataDir: dir }), closeAfterApp: true };
  }

  it('delivers an event to a receiver that was down until after the server restarted', async () => {
    const { open, closeAfterApp } = await database();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/hooks/careos`;

    let db = await open();
    let server: TestApp = await startApp({ db, env });
    const { secret } = await server.app.services.webhookEndpoints.register({ kind: 'integration', partnerId: 'ipt_restart', therapistId: 'th_restart' }, url, ['alert.created']);
    const [deliveryId] = await server.app.services.webhookSandbox.trigger({ event: 'alert.created', therapistId: 'th_restart' });
    // The first attempt finds nobody listening. Attempts are recorded before they are sent, so
    // the row is there, its error still empty, for as long as the connection takes to fail.
    const [firstAttempt] = await eventually(() =>
      query<{ error: string }>(db, `select error from webhook_attempts where delivery_id = '${deliveryId}' and error is not null`).then((rows) => rows.length > 0 && rows),
    );
    expect(firstAttempt!.error).toMatch(/ECONNREFUSED/);
    await server.close();
    if (closeAfterApp) await db.close();

    db = await open();
    server = await startApp({ db, env });
    cleanups.push(async () => {
      await server.close();
      await db.close();
    });
    const receiver: WebhookReceiver = await startReceiver(undefined, port);
    cleanups.push(() => receiver.close());

    const [request] = await receiver.waitFor(1);
    expect(request!.headers['webhook-id']).toBe(deliveryId);
    expect(JSON.parse(verify(request!.body, request!.headers, secret))).toMatchObject({ type: 'alert.created', therapistId: 'th_restart' });
    const [row] = await eventually(() => query<{ status: string; attempts: number }>(db, `select status, attempts from webhook_deliveries where id = '${deliveryId}' and status = 'delivered'`).then((rows) => rows.length > 0 && rows));
    // The restarted server may try once more before the receiver is up; either way it got through.
    expect(Number(row!.attempts)).toBeGreaterThanOrEqual(2);
  });
});
