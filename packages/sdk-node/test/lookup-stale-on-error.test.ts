// Serve-stale-on-error: when the refresh of an expired answer fails, a lookup within the window
// gets the expired answer rather than the failure. msw plays the lookup API at the socket level
// (undici's requests go through node:http's interceptor, see the shared toolchain notes), so it
// can fail on cue; the cache's clock is faked so that answers expire when the test says.
import { HttpRequestInterceptor } from '@mswjs/interceptors/http';
import { http, HttpResponse } from 'msw';
import { defineNetwork, InterceptorSource } from 'msw/experimental';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { InternalServerError, LookupClient, type LookupCacheOptions } from '../src/index.js';
import { FOUND_E164, foundBody, LOOKUP_KEY } from './helpers/lookup.js';

const BASE = 'https://lookup.careos.test';
const MINUTE = 60_000;

/** What the mock API does: answer version `version`, or fail with `failWith` while it is set. */
const api = { requests: 0, version: 1, failWith: undefined as number | undefined };

const network = defineNetwork({
  sources: [new InterceptorSource({ interceptors: [new HttpRequestInterceptor()] })],
  context: { quiet: true },
  handlers: [
    http.post(`${BASE}/api/lookup`, async ({ request }) => {
      api.requests++;
      if (api.failWith !== undefined) return HttpResponse.json({ error: 'Internal server error', request_id: 'req_mock' }, { status: api.failWith });
      const { phone } = (await request.json()) as { phone: string };
      return HttpResponse.json(foundBody(phone, api.version));
    }),
  ],
});

let lookup: LookupClient<boolean> | undefined;
beforeAll(() => network.enable());
afterAll(() => network.disable());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] });
  vi.advanceTimersByTime(1_000); // lru-cache reads a start time of 0 as "no TTL"
  Object.assign(api, { requests: 0, version: 1, failWith: undefined });
});
afterEach(async () => {
  vi.useRealTimers();
  await lookup?.close();
  lookup = undefined;
});

function client(cache: LookupCacheOptions, throwOnError = false): LookupClient<boolean> {
  lookup = new LookupClient({ apiKey: LOOKUP_KEY, baseURL: BASE, env: {}, retryBaseDelay: 1, retryMaxDelay: 2, throwOnError, cache });
  return lookup;
}

/**
 * Moves the cache's clock forward. lru-cache reads the clock at most once per (real) millisecond,
 * so a real 2 ms pass too before the next lookup.
 */
async function elapse(ms: number): Promise<void> {
  vi.advanceTimersByTime(ms);
  await new Promise((resolve) => setTimeout(resolve, 2));
}

/** Caches version 1, lets it expire by `expiredFor` ms (after the 5-minute TTL), and makes the API fail. */
async function expireAndFail(l: LookupClient<boolean>, expiredFor: number) {
  const first = await l.byPhone(FOUND_E164);
  await elapse(5 * MINUTE + expiredFor);
  api.version = 2;
  api.failWith = 500;
  return first;
}

describe('staleOnError', () => {
  it('within the window a failed refresh answers the expired entry, and keeps it for the next caller', async () => {
    const l = client({ staleOnError: 10 * MINUTE });
    const first = await expireAndFail(l, MINUTE);
    expect(await l.byPhone(FOUND_E164)).toBe(first);
    // The refresh was tried (one request and its retry) before falling back.
    expect(api.requests).toBe(3);
    expect(await l.byPhone(FOUND_E164)).toBe(first);
    expect(l.stats()).toMatchObject({ staleServed: 2, errors: 0, size: 1 });

    api.failWith = undefined;
    expect(await l.byPhone(FOUND_E164)).toEqual(foundBody(FOUND_E164, 2));
  });

  it('concurrent lookups during a failing refresh share it and all get the expired entry', async () => {
    const l = client({ staleOnError: 10 * MINUTE });
    const first = await expireAndFail(l, MINUTE);
    const results = await Promise.all(Array.from({ length: 50 }, () => l.byPhone(FOUND_E164)));
    expect(results.every((r) => r === first)).toBe(true);
    expect(api.requests).toBe(3);
    // 49 waited for the refresh the first one sent; all 50 got the expired entry when it failed.
    expect(l.stats()).toMatchObject({ staleServed: 50, misses: 2, coalesced: 49 });
  });

  it('past the window the failure is answered and the expired entry is dropped', async () => {
    const l = client({ staleOnError: 10 * MINUTE });
    await expireAndFail(l, 10 * MINUTE + 1);
    expect(await l.byPhone(FOUND_E164)).toMatchObject({ found: false, error: { code: 'SERVER_ERROR', status: 500 } });
    expect(l.stats()).toMatchObject({ staleServed: 0, errors: 1, size: 0 });
  });

  it('staleOnError: true serves an expired entry however old', async () => {
    const l = client({ staleOnError: true });
    const first = await expireAndFail(l, 7 * 24 * 60 * MINUTE);
    expect(await l.byPhone(FOUND_E164)).toBe(first);
  });

  it('off by default: the failure is answered', async () => {
    const l = client({});
    await expireAndFail(l, 1);
    expect(await l.byPhone(FOUND_E164)).toMatchObject({ found: false, error: { code: 'SERVER_ERROR' } });
  });

  it('with throwOnError, an expired entry served on error is an answer, not a rejection', async () => {
    const l = client({ staleOnError: MINUTE }, true);
    const first = await expireAndFail(l, 1);
    expect(await l.byPhone(FOUND_E164)).toBe(first);
    await elapse(MINUTE);
    await expect(l.byPhone(FOUND_E164)).rejects.toBeInstanceOf(InternalServerError);
  });

  it('works with stale-while-revalidate: the expired entry is answered at once, and a failed refresh keeps it', async () => {
    const l = client({ staleWhileRevalidate: MINUTE, staleOnError: 10 * MINUTE });
    const first = await expireAndFail(l, 2 * MINUTE);
    // Past the revalidate window the lookup waits for the refresh, which fails: stale on error.
    expect(await l.byPhone(FOUND_E164)).toBe(first);
    expect(api.requests).toBe(3);
  });
});
