// Shared by the receiver tests: a server on a free loopback port, and real signed deliveries.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestHeaders } from '@careos/webhook-verifier';
import type { VerifiedWebhook } from '@careos/webhook-verifier';
import type { CareOSEvent, OnEvent } from './event.ts';

export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Starts `server` on 127.0.0.1 and an ephemeral port; returns its base URL and a stop function. */
export async function start(server: Server): Promise<{ url: string; stop: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** An OnEvent that records what it was given. */
export function recorder(): { onEvent: OnEvent; received: VerifiedWebhook<CareOSEvent>[] } {
  const received: VerifiedWebhook<CareOSEvent>[] = [];
  return { received, onEvent: (webhook) => void received.push(webhook) };
}

export const event = (type: CareOSEvent['type'] = 'alert.created') => JSON.stringify({ type, timestamp: new Date().toISOString(), alert_id: 'al_42', severity: 'high' });

/** POSTs `body` with the given headers and returns the status and the JSON body, if the answer is JSON. */
export async function deliver(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: { error?: string; code?: string } | undefined }> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const isJson = res.headers.get('content-type')?.includes('application/json');
  const json = isJson ? ((await res.json()) as { error?: string; code?: string }) : (await res.arrayBuffer(), undefined);
  return { status: res.status, json };
}

/** The three deliveries every receiver must handle: a good one, a tampered one and a stale one. */
export function deliveries(secret: string) {
  const body = event();
  return {
    body,
    good: { body, headers: createTestHeaders(secret, body, { event: 'alert.created', id: 'msg_good' }) },
    tampered: { body: body.replace('high', 'low'), headers: createTestHeaders(secret, body, { event: 'alert.created' }) },
    stale: { body, headers: createTestHeaders(secret, body, { event: 'alert.created', timestamp: new Date(Date.now() - 15 * 60_000) }) },
  };
}
