import { createTestHeaders } from '@careos/webhook-verifier';
import { afterEach, describe, expect, it } from 'vitest';
import { serveFetchHandler } from './serve-fetch-handler.ts';
import { deliver, deliveries, newSecret, recorder, start } from './test-support.ts';
import { createWebhookHandler } from './web-handler.ts';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => Promise.all(stops.splice(0).map((stop) => stop())));

describe('Web Request → Response handler', () => {
  const secret = newSecret();
  const { good, tampered, stale, body } = deliveries(secret);

  async function receiver(onEvent = recorder().onEvent) {
    const server = await start(serveFetchHandler(createWebhookHandler(secret, onEvent)));
    stops.push(server.stop);
    return `${server.url}/webhooks/careos`;
  }

  it('accepts a signed delivery over HTTP and hands the verified event to the application', async () => {
    const events = recorder();
    const url = await receiver(events.onEvent);
    expect(await deliver(url, good.body, good.headers)).toEqual({ status: 204, json: undefined });
    expect(events.received[0]).toMatchObject({ id: 'msg_good', type: 'alert.created', event: JSON.parse(body) });
  });

  it('answers 400 with a code for a tampered, stale or legacy-only delivery', async () => {
    const events = recorder();
    const url = await receiver(events.onEvent);
    expect(await deliver(url, tampered.body, tampered.headers)).toMatchObject({ status: 400, json: { code: 'NO_MATCHING_SIGNATURE' } });
    expect(await deliver(url, stale.body, stale.headers)).toMatchObject({ status: 400, json: { code: 'TIMESTAMP_TOO_OLD' } });
    const { 'x-careos-signature': signature, 'x-careos-timestamp': timestamp } = createTestHeaders(secret, body, { event: 'alert.created' });
    expect(await deliver(url, body, { 'x-careos-signature': signature, 'x-careos-timestamp': timestamp })).toMatchObject({
      status: 400,
      json: { code: 'MISSING_HEADER', error: expect.stringContaining("scheme: 'legacy'") },
    });
    expect(events.received).toHaveLength(0);
  });

  it('also works called directly with a Request, as Next.js and Workers call it', async () => {
    const events = recorder();
    const handler = createWebhookHandler(secret, events.onEvent);
    const response = await handler(new Request('https://receiver.example/webhooks/careos', { method: 'POST', body: good.body, headers: good.headers }));
    expect(response.status).toBe(204);
    expect(events.received).toHaveLength(1);
  });
});
