import { ErrorEnvelope, routeList, type RouteSpec } from '@careos/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { call } from './helpers/http.js';
import { FUZZ_SEED, headerText } from './helpers/fuzz.js';
import { integrationToken, type IntegrationCredentials } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';

const keys = generateTestKeys();

/** Every integration route of the table (the webhook registration included, it shares the token). */
const ROUTES = (routeList as readonly RouteSpec[]).filter((r) => r.path.startsWith('/api/integration/'));

const jsonValue = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, '', ' ', [], {}, '2026-02-19', '2026-02-19T00:00:00Z', 'CRISIS', 'true') },
);

describe.each(backendNames())('fuzzing the integration routes (%s)', (backendName) => {
  let backend: TestBackend;
  let server: TestApp;
  let creds: IntegrationCredentials;
  let token: string;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    server = await startApp({ db: await backend.open(), env: testEnv({ keys, extra: { CAREOS_RATE_LIMIT_INTEGRATION: '1000000' } }) });
    creds = (await server.app.seedDemo()).integration;
    token = await integrationToken(server, creds);
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('answers 600 random requests with a success or a 4xx error envelope, never a 5xx', { timeout: 180_000 }, async () => {
    const id = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...Object.values(creds.clients), creds.coupleId, creds.partialCoupleId) },
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 200 }).map(encodeURIComponent) },
      { weight: 1, arbitrary: fc.constantFrom('%E0%A4%A', '..', '%00', 'cli_' + 'z'.repeat(26)) },
    );
    const queryValue = fc.oneof(jsonValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))), fc.constantFrom('', '1', '500', '501', '-3', 'abc'));
    const request = fc.record({
      route: fc.constantFrom(...ROUTES),
      id,
      query: fc.dictionary(fc.constantFrom('type', 'unreadOnly', 'since', 'limit', 'cursor', 'lastSessionDate', 'x'), queryValue, { maxKeys: 4 }),
      body: fc.oneof(
        { weight: 3, arbitrary: fc.dictionary(fc.constantFrom('taskDescription', 'module', 'activities', 'notes', 'dueDate', 'priority', 'apiKey', 'apiSecret', 'therapistId', 'webhookUrl', 'events'), jsonValue, { maxKeys: 6 }).map((b) => JSON.stringify(b)) },
        { weight: 1, arbitrary: jsonValue.map((v) => JSON.stringify(v) ?? 'null') },
        { weight: 1, arbitrary: fc.constantFrom('', '{', '[[', '{"taskDescription":') },
      ),
      auth: fc.oneof({ weight: 8, arbitrary: fc.constant('valid') }, { weight: 1, arbitrary: headerText(200) }, { weight: 1, arbitrary: fc.constant('') }),
    });
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const path = r.route.path.replace(/\{\w+\}/g, r.id);
        const qs = new URLSearchParams(r.query).toString();
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (r.auth === 'valid') headers.authorization = `Bearer ${token}`;
        else if (r.auth) headers.authorization = r.auth;
        const res = await call(server.url, r.route.method, `${path}${qs ? `?${qs}` : ''}`, r.route.method === 'GET' ? { headers } : { headers, raw: r.body });
        const key = `${res.status} ${res.body?.error ?? ''}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        expect(res.status, `${r.route.method} ${path}?${qs}: ${res.text}`).toBeLessThan(500);
        if (res.status >= 400) expect(ErrorEnvelope.safeParse(res.body).success, res.text).toBe(true);
      }),
      { numRuns: 600, seed: FUZZ_SEED },
    );
    // The generator gets past authentication and validation into the consent and data logic.
    expect(outcomes.get('200 ') ?? 0).toBeGreaterThan(20);
    expect(outcomes.get('403 Client has not granted consent to this therapist') ?? 0).toBeGreaterThan(10);
    expect(server.logs.filter((l) => l.includes('"level":50'))).toEqual([]);
  });
});
