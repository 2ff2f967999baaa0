import { ErrorEnvelope, LookupFound, LookupNotFound, SEED_LOOKUP_API_KEY } from '@careos/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { call } from './helpers/http.js';
import { FUZZ_SEED, headerText } from './helpers/fuzz.js';
import { generateTestKeys } from './helpers/keys.js';

const keys = generateTestKeys();

/** Phones and near-phones: real shapes of the demo numbers, their pieces, and noise. */
const phoneText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('+39 06 2222 4444', '+390622224444', '0039 06 2222 4444', '06 2222 4444', ' 390622224444', '+391234567890', '+39 333 222 4444', '+1 415 555 0123') },
  { weight: 2, arbitrary: fc.stringMatching(/^[+ 0-9().\-]{0,24}$/) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '%', '%2B', '%E0%A4%A', '%252B39', '+', '00', '0'.repeat(200), '1e308', 'null') },
);

/** encodeURIComponent, after replacing the lone surrogates it cannot encode (a client could not send them either). */
const encode = (value: string) => encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd'));

const queryString = fc.oneof(
  { weight: 4, arbitrary: phoneText.map((p) => `phone=${encode(p)}`) },
  { weight: 2, arbitrary: phoneText.map((p) => `phone=${p.replace(/[^\x21-\x7e]/g, (c) => encode(c)).replaceAll('#', '%23')}`) },
  { weight: 1, arbitrary: fc.tuple(phoneText, phoneText).map(([a, b]) => `phone=${encode(a)}&phone=${encode(b)}`) },
  { weight: 1, arbitrary: fc.constantFrom('', 'phone', 'phone[]=1', 'phone[a]=1', 'Phone=%2B390622224444', 'phone=%', 'phone=%ZZ', 'x=1&phone=') },
);

const jsonBody = fc.oneof(
  { weight: 4, arbitrary: phoneText.map((phone) => JSON.stringify({ phone })) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ phone: v })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: fc.constantFrom('', '{', '{"phone":', '[[', '"+390622224444"', '{"phone":"+390622224444","extra":1}') },
);

const auth = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Record<string, string>>({ 'x-api-key': SEED_LOOKUP_API_KEY }) },
  { weight: 2, arbitrary: fc.constant<Record<string, string>>({ authorization: `Bearer ${SEED_LOOKUP_API_KEY}` }) },
  { weight: 1, arbitrary: headerText(80).map((v) => ({ 'x-api-key': v })) },
  { weight: 1, arbitrary: headerText(80).map((v) => ({ authorization: v })) },
  { weight: 1, arbitrary: fc.constant<Record<string, string>>({}) },
);

describe.each(backendNames())('fuzzing the lookup (%s)', (backendName) => {
  let backend: TestBackend;
  let server: TestApp;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    server = await startApp({ db: await backend.open(), env: testEnv({ keys, extra: { CAREOS_RATE_LIMIT_LOOKUP: '1000000' } }) });
    await server.app.seedDemo();
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('answers 800 random lookups with the 200 or 404 shape or a 4xx error envelope, never a 5xx', { timeout: 180_000 }, async () => {
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST'),
      query: queryString,
      body: jsonBody,
      contentType: fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: headerText(40) }),
      auth,
      idempotencyKey: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: headerText(40) }),
    });
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = { ...r.auth, 'content-type': r.contentType };
        if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
        const res =
          r.method === 'GET' ? await call(server.url, 'GET', `/api/lookup?${r.query}`, { headers }) : await call(server.url, 'POST', '/api/lookup', { headers, raw: r.body });
        const key = `${res.status} ${res.body?.error ?? ''}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        const where = `${r.method} ${r.method === 'GET' ? r.query : r.body}: ${res.text}`;
        expect(res.status, where).toBeLessThan(500);
        if (res.status === 200) expect(LookupFound.safeParse(res.body).success, where).toBe(true);
        else if (res.status === 404) expect(LookupNotFound.safeParse(res.body).success, where).toBe(true);
        else expect(ErrorEnvelope.safeParse(res.body).success, where).toBe(true);
      }),
      { numRuns: 800, seed: FUZZ_SEED },
    );
    // The generator gets past authentication and validation into the search itself.
    expect(outcomes.get('200 ') ?? 0).toBeGreaterThan(50);
    expect(outcomes.get('404 ') ?? 0).toBeGreaterThan(5);
    expect(outcomes.get('400 Invalid phone number') ?? 0).toBeGreaterThan(20);
    expect(server.logs.filter((l) => l.includes('"level":50'))).toEqual([]);
  });
});
