// The lookup cache against a local server that counts every request. Time is the cache's own
// clock (`performance.now()`), faked so that TTLs pass exactly when a test says; the network and
// its timers stay real.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LookupClient, type GiveUpInfo, type LookupClientOptions, type LookupOutcome } from '../src/index.js';
import { FOUND_E164, foundBody, LOOKUP_KEY, NOT_FOUND_E164, notFoundBody, phoneOf, startLookupServer, until, type HeldLookupServer } from './helpers/lookup.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

let server: HeldLookupServer;
let lookup: LookupClient | undefined;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['performance'] });
  // The fake clock starts at 0, which lru-cache reads as "no start time" (never stale); real clocks never read 0.
  vi.advanceTimersByTime(SECOND);
  server = await startLookupServer();
});
afterEach(async () => {
  vi.useRealTimers();
  server.release();
  await lookup?.close();
  await server.close();
  lookup = undefined;
});

function client(options: LookupClientOptions<false> = {}): LookupClient {
  lookup = new LookupClient({ apiKey: LOOKUP_KEY, baseURL: server.url, env: {}, ...options });
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

describe('coalescing', () => {
  it('1,000 concurrent lookups of one uncached number send exactly one request and all get its answer', async () => {
    const lookup = client();
    server.hold();
    const pending = Array.from({ length: 1_000 }, () => lookup.byPhone(FOUND_E164));
    await until(() => server.requests.length === 1, 'the request');
    server.release();
    const results = await Promise.all(pending);

    expect(server.requests).toHaveLength(1);
    expect(results.every((r) => r === results[0])).toBe(true);
    expect(results[0]).toEqual(foundBody(FOUND_E164));
    expect(lookup.stats()).toEqual({ hits: 0, misses: 1, coalesced: 999, errors: 0, staleServed: 0, size: 1 });
  });

  it('sends one POST /api/lookup with the E.164 number in the body and the key in x-api-key', async () => {
    await client().byPhone('+39 06 2222 4444');
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/lookup');
    expect(JSON.parse(request?.body.toString() ?? '')).toEqual({ phone: FOUND_E164 });
    expect(request?.headers['x-api-key']).toBe(LOOKUP_KEY);
    expect(request?.headers.authorization).toBeUndefined();
  });

  it("auth: 'bearer' sends the same key as Authorization: Bearer", async () => {
    await client({ auth: 'bearer' }).byPhone(FOUND_E164);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${LOOKUP_KEY}`);
    expect(server.requests[0]?.headers['x-api-key']).toBeUndefined();
  });

  it('different numbers are different requests, each coalesced on its own', async () => {
    const lookup = client();
    server.hold();
    const pending = [FOUND_E164, NOT_FOUND_E164, FOUND_E164, NOT_FOUND_E164].map((phone) => lookup.byPhone(phone));
    await until(() => server.requests.length === 2, 'both requests');
    server.release();
    const [a, b, c, d] = await Promise.all(pending);
    expect(a).toBe(c);
    expect(b).toBe(d);
    expect(b).toEqual(notFoundBody(NOT_FOUND_E164));
    expect(server.requests.map(phoneOf).sort()).toEqual([NOT_FOUND_E164, FOUND_E164].sort());
  });
});

describe('hits', () => {
  it('a cached answer makes no request, whatever shape the number is written in', async () => {
    const lookup = client({ defaultCountry: 'IT' });
    const first = await lookup.byPhone(FOUND_E164);
    const shapes = [FOUND_E164, '+39 06 2222 4444', '0039 06 2222 4444', '%2B39%2006%202222%204444', ' 390622224444', 'tel:+39-06-2222-4444', '06 2222 4444'];
    for (const shape of shapes) expect(await lookup.byPhone(shape), shape).toBe(first);
    expect(server.requests).toHaveLength(1);
    expect(lookup.stats()).toMatchObject({ hits: shapes.length, misses: 1 });
  });

  it('counts E.164 hits on the hit path and other shapes after normalising', async () => {
    const lookup = client();
    await lookup.byPhone(FOUND_E164);
    await lookup.byPhone(FOUND_E164);
    await lookup.byPhone('+39 06 2222 4444');
    // The second is a hit on the map lookup alone; the third needs its E.164 form first and is a hit in fetch().
    expect(lookup.stats()).toMatchObject({ hits: 2, misses: 1, coalesced: 0 });
  });

  it('answers are frozen: one caller cannot change what the next is given', async () => {
    const lookup = client();
    const result = await lookup.byPhone(FOUND_E164);
    if (!result.found) throw new Error('expected a case');
    expect(() => {
      (result.patient as { name: string }).name = 'Someone else';
    }).toThrow(TypeError);
    expect(((await lookup.byPhone(FOUND_E164)) as typeof result).patient.name).toBe('Antonio Dorato');
  });

  it('peek() gives the fresh cached answer without a request, and nothing for an expired one', async () => {
    const lookup = client();
    expect(lookup.peek(FOUND_E164)).toBeUndefined();
    const result = await lookup.byPhone(FOUND_E164);
    expect(lookup.peek('+39 06 2222 4444')).toBe(result);
    await elapse(5 * MINUTE + 1);
    expect(lookup.peek(FOUND_E164)).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });
});

describe('TTLs', () => {
  it('a found case is cached for ttl (default 5 minutes), then fetched again', async () => {
    const lookup = client();
    await lookup.byPhone(FOUND_E164);
    await elapse(5 * MINUTE);
    server.setVersion(2);
    expect(await lookup.byPhone(FOUND_E164)).toEqual(foundBody(FOUND_E164, 1));
    expect(server.requests).toHaveLength(1);

    await elapse(1);
    expect(await lookup.byPhone(FOUND_E164)).toEqual(foundBody(FOUND_E164, 2));
    expect(server.requests).toHaveLength(2);
  });

  it('"no case" is cached for its own, shorter negativeTtl (default 60 s)', async () => {
    const lookup = client();
    await lookup.byPhone(FOUND_E164);
    expect(await lookup.byPhone(NOT_FOUND_E164)).toEqual(notFoundBody(NOT_FOUND_E164));
    await elapse(MINUTE);
    await lookup.byPhone(NOT_FOUND_E164);
    expect(server.requests).toHaveLength(2);

    await elapse(1);
    await lookup.byPhone(NOT_FOUND_E164);
    await lookup.byPhone(FOUND_E164); // still fresh: its TTL is the 5-minute one
    expect(server.requests.map(phoneOf)).toEqual([FOUND_E164, NOT_FOUND_E164, NOT_FOUND_E164]);
  });

  it('custom ttl and negativeTtl', async () => {
    const lookup = client({ cache: { ttl: 10 * SECOND, negativeTtl: 2 * SECOND } });
    await Promise.all([lookup.byPhone(FOUND_E164), lookup.byPhone(NOT_FOUND_E164)]);
    await elapse(2 * SECOND + 1);
    await Promise.all([lookup.byPhone(FOUND_E164), lookup.byPhone(NOT_FOUND_E164)]);
    expect(server.requests).toHaveLength(3);
    await elapse(8 * SECOND);
    await lookup.byPhone(FOUND_E164);
    expect(server.requests).toHaveLength(4);
  });

  it('negativeTtl 0 does not keep "no case" answers, but still coalesces the calls waiting for one', async () => {
    const lookup = client({ cache: { negativeTtl: 0 } });
    server.hold();
    const pending = Array.from({ length: 10 }, () => lookup.byPhone(NOT_FOUND_E164));
    await until(() => server.requests.length === 1, 'the request');
    server.release();
    const results = await Promise.all(pending);
    expect(results.every((r) => !r.found && !('error' in r))).toBe(true);
    expect(lookup.stats().size).toBe(0);
    await lookup.byPhone(NOT_FOUND_E164);
    expect(server.requests).toHaveLength(2);
  });

  it('failures are not cached: the next lookup asks again', async () => {
    const lookup = client({ maxRetries: 0 });
    server.failNext(503);
    expect(await lookup.byPhone(FOUND_E164)).toMatchObject({ found: false, error: { code: 'SERVER_ERROR', status: 503 } });
    expect(lookup.stats()).toMatchObject({ errors: 1, size: 0 });
    expect(await lookup.byPhone(FOUND_E164)).toMatchObject({ found: true });
    expect(server.requests).toHaveLength(2);
  });

  it('cache: false sends every lookup', async () => {
    const lookup = client({ cache: false });
    await lookup.byPhone(FOUND_E164);
    await lookup.byPhone(FOUND_E164);
    expect(server.requests).toHaveLength(2);
    expect(lookup.stats()).toEqual({ hits: 0, misses: 2, coalesced: 0, errors: 0, staleServed: 0, size: 0 });
  });

  it('max bounds the cache: the least recently looked-up number goes first', async () => {
    const lookup = client({ cache: { max: 2 } });
    const [a, b, c] = ['+14155550100', '+14155550101', '+14155550102'];
    await lookup.byPhone(a as string);
    await lookup.byPhone(b as string);
    await lookup.byPhone(a as string); // a is now the most recent
    await lookup.byPhone(c as string); // evicts b
    expect(lookup.stats().size).toBe(2);
    await lookup.byPhone(a as string);
    await lookup.byPhone(b as string);
    expect(server.requests.map(phoneOf)).toEqual([a, b, c, b]);
  });
});

describe('invalidate, clear, stats', () => {
  it('invalidate(phone) forgets one number in any shape; clear() forgets all; stats keep counting', async () => {
    const lookup = client();
    await lookup.byPhone(FOUND_E164);
    await lookup.byPhone(NOT_FOUND_E164);
    expect(lookup.invalidate('+39 06 2222 4444')).toBe(true);
    expect(lookup.invalidate('+39 06 2222 4444')).toBe(false);
    expect(lookup.invalidate('not a phone')).toBe(false);
    expect(lookup.stats().size).toBe(1);
    await lookup.byPhone(FOUND_E164);
    await lookup.byPhone(NOT_FOUND_E164);
    expect(server.requests).toHaveLength(3);

    lookup.clear();
    expect(lookup.stats().size).toBe(0);
    await lookup.byPhone(NOT_FOUND_E164);
    expect(server.requests).toHaveLength(4);
    expect(lookup.stats()).toEqual({ hits: 1, misses: 4, coalesced: 0, errors: 0, staleServed: 0, size: 1 });
  });

  it('a request in flight when its number is invalidated still answers its callers, and is not stored', async () => {
    const lookup = client();
    server.hold();
    const pending = [lookup.byPhone(FOUND_E164), lookup.byPhone(FOUND_E164)];
    await until(() => server.requests.length === 1, 'the request');
    lookup.invalidate(FOUND_E164);
    server.release();
    const results = await Promise.all(pending);
    expect(results.every((r) => r.found)).toBe(true);
    expect(lookup.stats().size).toBe(0);
    await lookup.byPhone(FOUND_E164);
    expect(server.requests).toHaveLength(2);
  });

  it("an aborted caller stops waiting; the shared request carries on for the others and is cached", async () => {
    const lookup = client();
    server.hold();
    const controller = new AbortController();
    const leaving = lookup.byPhone(FOUND_E164, { signal: controller.signal });
    const staying = lookup.byPhone(FOUND_E164);
    await until(() => server.requests.length === 1, 'the request');
    controller.abort();
    expect(await leaving).toMatchObject({ found: false, error: { code: 'ABORTED' } });
    server.release();
    expect(await staying).toMatchObject({ found: true, case_id: '9' });
    expect(await lookup.byPhone(FOUND_E164)).toBe(await staying);
    expect(server.requests).toHaveLength(1);
  });
});

describe('stale-while-revalidate', () => {
  it('within the window an expired answer is returned at once, and one background request refreshes it', async () => {
    const lookup = client({ cache: { staleWhileRevalidate: MINUTE } });
    const first = await lookup.byPhone(FOUND_E164);
    await elapse(5 * MINUTE + 30 * SECOND);
    server.setVersion(2);
    server.hold();

    const during: LookupOutcome[] = await Promise.all(Array.from({ length: 20 }, () => lookup.byPhone(FOUND_E164)));
    expect(during.every((r) => r === first)).toBe(true);
    await until(() => server.requests.length === 2, 'the background refresh');
    server.release();
    await until(() => lookup.peek(FOUND_E164) !== undefined, 'the refreshed answer');

    expect(await lookup.byPhone(FOUND_E164)).toEqual(foundBody(FOUND_E164, 2));
    expect(server.requests).toHaveLength(2);
    expect(lookup.stats()).toMatchObject({ staleServed: 20, misses: 2, hits: 1, coalesced: 0 });
  });

  it('past the window an expired answer waits for the refresh', async () => {
    const lookup = client({ cache: { staleWhileRevalidate: MINUTE } });
    await lookup.byPhone(FOUND_E164);
    await elapse(6 * MINUTE + 1);
    server.setVersion(2);
    expect(await lookup.byPhone(FOUND_E164)).toEqual(foundBody(FOUND_E164, 2));
    expect(lookup.stats().staleServed).toBe(0);
  });

  it('a failed background refresh keeps the expired answer for the rest of the window', async () => {
    const failures: GiveUpInfo[] = [];
    const lookup = client({ cache: { staleWhileRevalidate: MINUTE }, maxRetries: 0, hooks: { onGiveUp: (info) => failures.push(info) } });
    const first = await lookup.byPhone(FOUND_E164);
    await elapse(5 * MINUTE + 1);
    server.failNext(503, 2);
    expect(await lookup.byPhone(FOUND_E164)).toBe(first);
    await until(() => failures.length === 1, 'the failed refresh');
    expect(await lookup.byPhone(FOUND_E164)).toBe(first);
    await until(() => failures.length === 2, 'the second failed refresh');
    // The third refresh succeeds; its caller still gets the expired answer, the next one the new.
    expect(await lookup.byPhone(FOUND_E164)).toBe(first);
    await until(() => lookup.peek(FOUND_E164) !== undefined, 'the third refresh');
    const fresh = await lookup.byPhone(FOUND_E164);
    expect(fresh).not.toBe(first);
    expect(fresh).toEqual(first);
    expect(lookup.stats()).toMatchObject({ staleServed: 3, misses: 4, hits: 1, errors: 0 });
  });
});
