import { createServer } from 'node:http';
import { createTestHeaders } from '@careos/webhook-verifier';
import { afterEach, describe, expect, it } from 'vitest';
import { createExpressReceiver } from './express-receiver.ts';
import { deliver, deliveries, newSecret, recorder, start } from './test-support.ts';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => Promise.all(stops.splice(0).map((stop) => stop())));

async function receiver(secrets: string | string[], onEvent = recorder().onEvent) {
  const server = await start(createServer(createExpressReceiver(secrets, onEvent)));
  stops.push(server.stop);
  return `${server.url}/webhooks/careos`;
}

describe('Express receiver', () => {
  const secret = newSecret();
  const { good, tampered, stale, body } = deliveries(secret);

  it('accepts a signed delivery and hands the verified event to the application', async () => {
    const events = recorder();
    const url = await receiver(secret, events.onEvent);
    expect(await deliver(url, good.body, good.headers)).toEqual({ status: 204, json: undefined });
    expect(events.received).toHaveLength(1);
    expect(events.received[0]).toMatchObject({ id: 'msg_good', type: 'alert.created', scheme: 'standard', event: JSON.parse(body) });
  });

  it('answers 400 with a code for a tampered or stale delivery, and the application never sees it', async () => {
    const events = recorder();
    const url = await receiver(secret, events.onEvent);
    expect(await deliver(url, tampered.body, tampered.headers)).toMatchObject({ status: 400, json: { code: 'NO_MATCHING_SIGNATURE' } });
    expect(await deliver(url, stale.body, stale.headers)).toMatchObject({ status: 400, json: { code: 'TIMESTAMP_TOO_OLD', error: expect.stringContaining('15m') } });
    expect(events.received).toHaveLength(0);
  });

  it('accepts the previous secret during a rotation', async () => {
    const previous = newSecret();
    const url = await receiver([secret, previous]);
    expect((await deliver(url, body, createTestHeaders(previous, body, { event: 'alert.created' }))).status).toBe(204);
  });

  it('keeps express.json() working for the rest of the API', async () => {
    const url = await receiver(secret);
    const res = await fetch(url.replace('/webhooks/careos', '/api/echo'), { method: 'POST', body: '{"hello":"world"}', headers: { 'content-type': 'application/json' } });
    expect(await res.json()).toEqual({ hello: 'world' });
  });

  it('answers 500 when the application fails, so CareOS retries', async () => {
    const url = await receiver(secret, () => {
      throw new Error('database down');
    });
    expect((await deliver(url, good.body, good.headers)).status).toBe(500);
  });
});
