import { afterEach, describe, expect, it, vi } from 'vitest';
import { secretsFromEnv } from './event.ts';
import { createNodeReceiver } from './node-http-receiver.ts';
import { deliver, deliveries, newSecret, recorder, start } from './test-support.ts';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => Promise.all(stops.splice(0).map((stop) => stop())));

describe('plain Node http receiver', () => {
  const secret = newSecret();
  const { good, tampered, stale, body } = deliveries(secret);

  async function receiver(onEvent = recorder().onEvent) {
    const server = await start(createNodeReceiver(secret, onEvent));
    stops.push(server.stop);
    return server.url;
  }

  it('accepts a signed delivery and hands the verified event to the application', async () => {
    const events = recorder();
    const url = await receiver(events.onEvent);
    expect(await deliver(`${url}/webhooks/careos`, good.body, good.headers)).toEqual({ status: 204, json: undefined });
    expect(events.received[0]).toMatchObject({ id: 'msg_good', type: 'alert.created', event: JSON.parse(body) });
  });

  it('answers 400 with a code for a tampered or stale delivery', async () => {
    const events = recorder();
    const url = await receiver(events.onEvent);
    expect(await deliver(`${url}/webhooks/careos`, tampered.body, tampered.headers)).toMatchObject({ status: 400, json: { code: 'NO_MATCHING_SIGNATURE' } });
    expect(await deliver(`${url}/webhooks/careos`, stale.body, stale.headers)).toMatchObject({ status: 400, json: { code: 'TIMESTAMP_TOO_OLD' } });
    expect(events.received).toHaveLength(0);
  });

  it('answers 404 elsewhere, 413 for an oversized body and 500 when the application fails', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const url = await receiver(() => {
      throw new Error('queue full');
    });
    expect((await deliver(`${url}/other`, good.body, good.headers)).status).toBe(404);
    expect((await deliver(`${url}/webhooks/careos`, 'x'.repeat(1024 * 1024 + 1), good.headers)).status).toBe(413);
    expect((await deliver(`${url}/webhooks/careos`, good.body, good.headers)).status).toBe(500);
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ message: 'queue full' }));
    logged.mockRestore();
  });
});

describe('secretsFromEnv', () => {
  it('reads the current secret, adds the previous one during a rotation, and insists on the current one', () => {
    expect(secretsFromEnv({ CAREOS_WEBHOOK_SECRET: 'whsec_a' })).toEqual(['whsec_a']);
    expect(secretsFromEnv({ CAREOS_WEBHOOK_SECRET: 'whsec_a', CAREOS_WEBHOOK_SECRET_PREVIOUS: 'whsec_b' })).toEqual(['whsec_a', 'whsec_b']);
    expect(() => secretsFromEnv({})).toThrow('CAREOS_WEBHOOK_SECRET');
  });
});
