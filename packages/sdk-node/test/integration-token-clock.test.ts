// Token expiry is a matter of time, and no real server lets a test move time for both sides at
// will. Here msw plays the integration API at the socket level (undici's requests go through
// node:http's interceptor, see shared toolchain notes), Date is faked for client and mock alike,
// and every token exchange is counted exactly.
import { HttpRequestInterceptor } from '@mswjs/interceptors/http';
import { delay, http, HttpResponse } from 'msw';
import { defineNetwork, InterceptorSource } from 'msw/experimental';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CareOSIntegration } from '../src/index.js';
import { fastRetries } from './helpers/fixtures.js';
import { integrationCredentials as creds } from './helpers/integration.js';

const BASE = 'https://sandbox.careos.test';
const HOUR = 3_600_000;

/** What the mock API knows: tokens it issued with the time each stops working on its side. */
const api = {
  issued: new Map<string, number>(),
  /** How long the mock honours a token it issued, ms (the seed: one hour). */
  serverLifetime: HOUR,
  /** Exchanges answered so far. */
  exchanges: 0,
  /** Bearer token of every data call, in arrival order, and whether it was accepted. */
  calls: [] as { token: string; accepted: boolean }[],
  /** When set, exchanges wait for it before answering. */
  hold: undefined as Promise<void> | undefined,
};

const network = defineNetwork({
  sources: [new InterceptorSource({ interceptors: [new HttpRequestInterceptor()] })],
  context: { quiet: true },
  handlers: [
    http.post(`${BASE}/api/integration/auth`, async () => {
      const n = ++api.exchanges;
      await api.hold;
      // A little latency, so that concurrent callers really overlap with the exchange.
      await delay(15);
      const token = `tok${n}`;
      api.issued.set(token, Date.now() + api.serverLifetime);
      return HttpResponse.json({ token, expiresIn: 3600, tokenType: 'Bearer' });
    }),
    http.get(`${BASE}/api/integration/clients`, ({ request }) => {
      const token = (request.headers.get('authorization') ?? '').replace(/^Bearer /, '');
      const expiresAt = api.issued.get(token);
      const accepted = expiresAt !== undefined && Date.now() < expiresAt;
      api.calls.push({ token, accepted });
      if (!accepted) return HttpResponse.json({ error: 'Token expired', code: 'TOKEN_EXPIRED', request_id: 'req_mock' }, { status: 401 });
      return HttpResponse.json({ clients: [], total: 0 });
    }),
  ],
});

let client: CareOSIntegration | undefined;
beforeAll(() => network.enable());
afterAll(() => network.disable());
beforeEach(() => {
  // Only Date: timers stay real, so undici, msw's delay and the retry backoff run normally.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-02-12T09:00:00Z'));
  Object.assign(api, { issued: new Map(), serverLifetime: HOUR, exchanges: 0, calls: [], hold: undefined });
});
afterEach(async () => {
  await client?.close();
  client = undefined;
  vi.useRealTimers();
});

const hundredCalls = () => Promise.all(Array.from({ length: 100 }, () => client?.clients.list()));
const tokensSent = () => api.calls.map((c) => c.token);

describe('100 concurrent calls through an expired token', () => {
  it('expired by the clock: the calls wait for exactly one exchange, then all use the new token', async () => {
    client = new CareOSIntegration({ ...fastRetries, ...creds, baseURL: BASE });
    await client.clients.list();
    expect(api.exchanges).toBe(1);

    vi.setSystemTime(Date.now() + HOUR + 1_000);
    const results = await hundredCalls();

    expect(results.every((r) => r?.total === 0)).toBe(true);
    expect(api.exchanges).toBe(2);
    // No call went out with the expired token: the client knew it was stale and waited.
    expect(tokensSent().slice(1)).toEqual(Array(100).fill('tok2'));
    expect(api.calls.every((c) => c.accepted)).toBe(true);
  });

  it('expired on the server first (401 TOKEN_EXPIRED for all 100): exactly one exchange, and 100 replays', async () => {
    // The server stops honouring tokens after 10 minutes, while the client still believes the hour.
    api.serverLifetime = 10 * 60_000;
    client = new CareOSIntegration({ ...fastRetries, ...creds, baseURL: BASE });
    await client.clients.list();

    vi.setSystemTime(Date.now() + 11 * 60_000);
    const results = await hundredCalls();

    expect(results).toHaveLength(100);
    expect(api.exchanges).toBe(2);
    const stale = api.calls.slice(1).filter((c) => c.token === 'tok1');
    const replays = api.calls.slice(1).filter((c) => c.token === 'tok2');
    expect(stale).toHaveLength(100);
    expect(stale.every((c) => !c.accepted)).toBe(true);
    expect(replays).toHaveLength(100);
    expect(replays.every((c) => c.accepted)).toBe(true);
  });

  it('no token yet: 100 first calls share the first exchange', async () => {
    client = new CareOSIntegration({ ...fastRetries, ...creds, baseURL: BASE });
    await hundredCalls();
    expect(api.exchanges).toBe(1);
    expect(tokensSent()).toEqual(Array(100).fill('tok1'));
  });
});

describe('background refresh', () => {
  it('in the last five minutes, calls go out at once with the current token while one exchange runs', async () => {
    client = new CareOSIntegration({ ...fastRetries, ...creds, baseURL: BASE });
    await client.clients.list();

    let release: () => void = () => {};
    api.hold = new Promise<void>((resolve) => (release = resolve));
    vi.setSystemTime(Date.now() + HOUR - 4 * 60_000); // 4 minutes left: background window, not yet blocking
    // The exchange is held for as long as the test likes: if any of these calls waited for it, this would hang.
    await hundredCalls();
    expect(api.exchanges).toBe(2);
    expect(tokensSent()).toEqual(Array(101).fill('tok1'));

    release();
    await vi.waitFor(() => expect(api.issued.has('tok2')).toBe(true));
    await client.clients.list();
    expect(tokensSent().at(-1)).toBe('tok2');
    expect(api.exchanges).toBe(2);
  });

  it('in the last minute, calls wait for the exchange rather than send a token about to expire', async () => {
    client = new CareOSIntegration({ ...fastRetries, ...creds, baseURL: BASE });
    await client.clients.list();
    vi.setSystemTime(Date.now() + HOUR - 30_000);
    await hundredCalls();
    expect(api.exchanges).toBe(2);
    expect(tokensSent().slice(1)).toEqual(Array(100).fill('tok2'));
  });
});
