import { acceptsIdempotencyKey, documentedStatuses, routeErrors, routeList, type RouteSpec } from '@careos/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractProblem, CONTRACT_VIOLATION } from '../src/http/contract-check.js';
import { BUSINESSOS, startApp, testEnv, type TestApp } from './helpers/app.js';
import { calendarEnv } from './helpers/calendar.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { call } from './helpers/http.js';
import { FUZZ_SEED, headerText } from './helpers/fuzz.js';
import { adminHeaders, INTEGRATION_ADMIN, integrationToken } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';
import { propertySchemas, schemaArbitrary, jsonSchemaArbitrary } from './helpers/schema-arbitrary.js';
import { startReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';
import { computeTwilioSignature } from '../src/providers/twilio-signature.js';
import { generateEventWebhookKeys } from './fakes/sendgrid.js';

/** Provider webhooks: a valid-ish request carries the provider's signature over what is actually sent. */
const TWILIO_TOKEN = 'fuzz-twilio-auth-token';
const sendgridKeys = generateEventWebhookKeys();
const SIGN_MARKER = 'x-fuzz-sign';

const keys = generateTestKeys();
const ROUTES = routeList as readonly RouteSpec[];

/** Requests per route: PGlite gets the full run; PostgreSQL a smaller one (the HTTP layer is the same). */
const RUNS = { pglite: 100, postgres: 25 } as const;
/**
 * Runs of a route whose every admitted call reads a table this test keeps growing: verifying
 * the audit chain walks every row, and every request here adds one (13 s of the file for 100 runs).
 */
const FEWER_RUNS: Partial<Record<string, number>> = { verifyAuditLog: 20 };
const runsOf = (route: RouteSpec, backend: keyof typeof RUNS) => Math.min(RUNS[backend], FEWER_RUNS[route.id] ?? Infinity);

/** encodeURIComponent, after replacing lone surrogates it cannot encode (no client could send them). */
const encode = (value: string) => encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd'));

/** Hostile JSON values: wrong types, extremes, deep nesting, long and odd strings. */
const hostileValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0.001, 2 ** 53 + 1, '', ' ', [], {}, 'null', '2026-02-30T25:00:00Z', '\u0000', '\ud800'),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.integer({ min: 200, max: 20_000 }).map((n) => 'é'.repeat(n)),
  fc.integer({ min: 33, max: 80 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Hostile path parameter values, sent as written (so bad escapes reach the server). */
const hostileId = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 60 }).map(encode),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encode),
    fc.integer({ min: 129, max: 2000 }).map((n) => 'a'.repeat(n)),
    fc.constantFrom('%E0%A4%A', '%', '%ZZ', '%00', '%C0%AF', '%ED%A0%80', 'lead_' + 'z'.repeat(26), '%F0%9F%98%80', '0', '-1', 'null'),
  )
  // A dot segment is resolved by the client before sending (`/a/../b` is `/b`): it never reaches this route.
  .filter((id) => !/^(\.|%2e){1,2}$/i.test(id));

/** Hostile query values, already encoded (some with bad escapes). */
const hostileQueryValue = fc.oneof(
  fc.constantFrom('abc', '', '-1', '0', '1.5', '501', '1e309', '99999999999999999999999', 'true', 'NaN', '%E0%A4%A', '%', '[]', '{}'),
  fc.string({ maxLength: 40 }).map(encode),
  fc.integer({ min: 600, max: 4000 }).map((n) => 'x'.repeat(n)),
);

const MISSING = 'Missing required fields: ';

/**
 * Whether `error` is one of the documented strings. The missing-fields sentence names the fields
 * missing from this request, so any subset of the fields the documented sentences name is documented.
 */
function documentsError(documented: readonly string[], error: string): boolean {
  if (documented.includes(error)) return true;
  if (!error.startsWith(MISSING)) return false;
  const names = new Set(documented.filter((d) => d.startsWith(MISSING)).flatMap((d) => d.slice(MISSING.length).split(' or ')));
  return error.slice(MISSING.length).split(' or ').every((name) => names.has(name));
}

describe.each(backendNames())('every route of the table against hostile and valid-ish requests (%s)', (backendName) => {
  let backend: TestBackend;
  let server: TestApp;
  let receiver: WebhookReceiver;
  /** Valid credentials by scheme, as headers. */
  const credentials: Record<string, Record<string, string>> = {};
  /** Known ids by parameter or field name, so generated requests reach the handlers. */
  const known: Record<string, string[]> = {};
  const statuses = new Map<string, number>();
  let requests = 0;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    receiver = await startReceiver();
    const env = testEnv({
      keys,
      extra: {
        ...INTEGRATION_ADMIN,
        ...calendarEnv(),
        // The sandbox calendar provider is this server itself: every calendar route is reachable.
        CAREOS_CALENDAR_SANDBOX: 'true',
        TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000fuz',
        TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
        // Unreachable on purpose: no SMS of the fuzz run should leave; the webhooks only need the token.
        TWILIO_API_BASE_URL: 'http://127.0.0.1:9',
        TWILIO_FROM_NUMBER: '+15005550006',
        SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridKeys.publicKey,
        CAREOS_RATE_LIMIT_LEADS: '1000000', CAREOS_RATE_LIMIT_INTEGRATION: '1000000', CAREOS_RATE_LIMIT_LOOKUP: '1000000' },
    });
    server = await startApp({ db: await backend.open(), env });
    const demo = await server.app.seedDemo();
    const admin = await adminHeaders(server);
    const token = await integrationToken(server, demo.integration);
    credentials.partnerKey = { 'x-api-key': BUSINESSOS.apiKey, 'x-platform': BUSINESSOS.platform };
    credentials.staffJwt = admin;
    credentials.integrationJwt = { authorization: `Bearer ${token}` };
    credentials.lookupKey = { 'x-api-key': demo.lookup.apiKey };
    credentials.none = {};
    credentials.twilioSignature = { [SIGN_MARKER]: 'twilio' };
    credentials.sendgridSignature = { [SIGN_MARKER]: 'sendgrid' };
    // No channel is open on the fuzz server: every notification is refused, which is documented.
    credentials.googleChannelToken = { 'x-goog-channel-id': 'fuzz-channel', 'x-goog-channel-token': 'fuzz-token' };

    // Throw-away records for the routes that change or revoke things, so the demo credentials keep working.
    const post = async (path: string, json: unknown, headers = admin) => {
      const res = await call(server.url, 'POST', path, { json, headers });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
      return res.body;
    };
    const partner = await post('/admin/partners', { platform: 'fuzzpartner' });
    const integrationPartner = await post('/admin/integration/partners', { name: 'Fuzz partner' });
    const therapist = await post('/admin/integration/therapists', { first_name: 'Fuzz', last_name: 'Therapist', email: 'fuzz@careos.test' });
    const link = await post('/admin/integration/links', { therapist_id: therapist.therapist.id, client_id: demo.integration.clients.standard, permission_level: 'STANDARD' });
    const lookupKey = await post('/admin/lookup/keys', { name: 'Fuzz key' });
    const endpoint = await post('/api/partner/webhooks', { url: receiver.url }, credentials.partnerKey);
    const therapistEndpoint = await post('/api/integration/webhook/register', { webhookUrl: `${receiver.url}/t`, events: ['alert.created'] }, credentials.integrationJwt);
    const triggered = await post('/admin/sandbox/webhooks/trigger', { event: 'payment.paid', partner: BUSINESSOS.platform });
    const leads = await call(server.url, 'GET', '/admin/leads?limit=5', { headers: admin });
    const clients = Object.values(demo.integration.clients);
    Object.assign(known, {
      platform: [partner.partner.platform],
      partnerId: [integrationPartner.partner.id],
      therapistId: [therapist.therapist.id],
      therapist_id: [demo.integration.therapistId, therapist.therapist.id],
      linkId: [link.link.id],
      keyId: [lookupKey.key.id],
      clientId: clients,
      client_id: clients,
      partner1_id: clients,
      partner2_id: clients,
      coupleId: [demo.integration.coupleId, demo.integration.partialCoupleId],
      webhookId: [endpoint.webhook.id, therapistEndpoint.webhookId],
      deliveryId: triggered.delivery_ids,
      leadId: leads.body.leads.map((l: { id: string }) => l.id),
      partner: [BUSINESSOS.platform],
      phone: [demo.lookup.phones.found, demo.lookup.phones.notFound],
    });
  });

  afterAll(async () => {
    await server?.close();
    await receiver?.close();
    await backend?.dispose();
  });

  /** Requests for one route: credentials, path, query, headers and body, each valid-ish or hostile. */
  function requestsFor(route: RouteSpec) {
    const known$ = (name: string) => (known[name]?.length ? fc.constantFrom(...known[name]!) : null);
    const byName = Object.fromEntries(Object.keys(known).map((name) => [name, known$(name)!]).filter(([, a]) => a));
    const form = route.bodyEncoding === 'form';
    // A form carries strings only: what a valid-ish form body looks like is the JSON body's fields as text.
    const encode$ = (b: unknown) =>
      form
        ? new URLSearchParams(Object.entries(b !== null && typeof b === 'object' ? (b as Record<string, unknown>) : {}).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')])).toString()
        : JSON.stringify(b);
    const validBody = route.body ? schemaArbitrary(route.body, { uri: fc.constantFrom(`${receiver.url}/fuzz`, 'https://example.com/hook'), byName }) : fc.constant(undefined);
    const body = route.body
      ? fc.oneof(
          { weight: 5, arbitrary: validBody.map(encode$) },
          {
            weight: 3,
            arbitrary: fc.tuple(validBody, fc.string({ maxLength: 20 }), hostileValue).map(([b, key, value]) => {
              const object = b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
              const keys = Object.keys(object);
              const target = keys.length && key.length % 2 === 0 ? keys[key.length % keys.length]! : key;
              return JSON.stringify({ ...object, [target]: value });
            }),
          },
          { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? 'null') },
          { weight: 1, arbitrary: fc.constantFrom('', '{', '[[', '{"a":', 'nul', '"x"', '['.repeat(3000), `{"k":"${'x'.repeat(150_000)}"}`) },
        )
      : fc.constant(undefined);

    const params = Object.keys(route.params?.shape ?? {});
    const path = fc
      .tuple(...params.map((name) => fc.oneof({ weight: 3, arbitrary: known$(name) ?? hostileId }, { weight: 2, arbitrary: hostileId })))
      .map((values) => {
        let filled: string = route.path;
        params.forEach((name, i) => (filled = filled.replace(`{${name}}`, values[i]!)));
        return filled;
      });

    const queryProps = route.query ? propertySchemas(route.query) : {};
    const queryPair = fc.oneof(
      ...Object.entries(queryProps).map(([name, schema]) =>
        fc.oneof(
          { weight: 3, arbitrary: (known$(name) ?? jsonSchemaArbitrary(schema)).map((v) => `${name}=${encode(typeof v === 'string' ? v : JSON.stringify(v))}`) },
          { weight: 2, arbitrary: hostileQueryValue.map((v) => `${name}=${v}`) },
          { weight: 1, arbitrary: fc.constantFrom(`${name}[a]=1`, `${name}=1&${name}=2`, name) },
        ),
      ),
      fc.string({ maxLength: 10 }).map((k) => `${encode(k)}=1`),
    );
    const query = fc.array(queryPair, { maxLength: 4 }).map((pairs) => (pairs.length ? `?${pairs.join('&')}` : ''));

    const otherSchemes = Object.keys(credentials).filter((s) => s !== route.auth && s !== 'none');
    const auth = fc.oneof(
      { weight: 6, arbitrary: fc.constant(credentials[route.auth]!) },
      { weight: 1, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: fc.constantFrom(...otherSchemes.map((s) => credentials[s]!)) },
      {
        weight: 1,
        arbitrary: fc
          .record({ name: fc.constantFrom('authorization', 'x-api-key', 'x-platform'), value: headerText(200) })
          .map(({ name, value }) => ({ ...credentials[route.auth], [name]: value })),
      },
    );
    const declared = route.headers ? propertySchemas(route.headers) : {};
    const extraHeaders = fc.record(
      {
        'content-type': fc.oneof(
          { weight: 8, arbitrary: fc.constant(form ? 'application/x-www-form-urlencoded' : 'application/json') },
          { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin-9', 'application/merge-patch+json') },
          { weight: 1, arbitrary: headerText(40) },
        ),
        'idempotency-key': fc.oneof(headerText(40).filter((k) => k.length > 0), fc.constantFrom('fuzz-shared-key'), headerText(400)),
        'x-request-id': headerText(300),
        ...Object.fromEntries(Object.entries(declared).map(([name, schema]) => [name, fc.oneof(jsonSchemaArbitrary(schema).map(String), headerText(80))])),
      },
      { requiredKeys: ['content-type'] },
    );
    return fc.record({ path, query, auth, headers: extraHeaders, body });
  }

  it.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s answers only documented statuses, with bodies matching the contract, never a 5xx',
    async (_name, route) => {
      const documented = documentedStatuses(route);
      const errors = routeErrors(route) as Record<number, readonly string[]>;
      const logsBefore = server.logs.length;
      await fc.assert(
        fc.asyncProperty(requestsFor(route), async (r) => {
          const headers: Record<string, string> = { ...r.auth, ...r.headers };
          if (!acceptsIdempotencyKey(route)) delete headers['idempotency-key'];
          const sign = headers[SIGN_MARKER];
          delete headers[SIGN_MARKER];
          if (sign === 'twilio') {
            const params = Object.fromEntries(new URLSearchParams(r.body ?? ''));
            headers['x-twilio-signature'] = computeTwilioSignature(TWILIO_TOKEN, `${server.url}${r.path}${r.query}`, params);
          } else if (sign === 'sendgrid') {
            Object.assign(headers, sendgridKeys.signEvents(r.body ?? '').headers, { 'content-type': headers['content-type']! });
          }
          const res = await call(server.url, route.method, `${r.path}${r.query}`, r.body === undefined ? { headers } : { headers, raw: r.body });
          requests++;
          statuses.set(String(res.status), (statuses.get(String(res.status)) ?? 0) + 1);
          const where = `${route.method} ${r.path}${r.query} → ${res.status} ${res.text.slice(0, 300)}`;
          expect(res.status, where).toBeLessThan(500);
          expect(documented.has(res.status), where).toBe(true);
          expect(contractProblem(route, r.path, res.status, res.body), where).toBeNull();
          if (res.status >= 400 && !route.alternatives?.[res.status as 404]) expect(documentsError(errors[res.status] ?? [], res.body.error), where).toBe(true);
        }),
        { numRuns: runsOf(route, backendName), seed: FUZZ_SEED },
      );
      expect(server.logs.slice(logsBefore).filter((l) => l.includes(CONTRACT_VIOLATION) || l.includes('"level":50'))).toEqual([]);
    },
    60_000,
  );

  it('answers a method a path does not serve (OPTIONS included) with the 404 envelope', async () => {
    const logsBefore = server.logs.length;
    const pattern = (route: RouteSpec) => new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}$`);
    for (const path of new Set(ROUTES.map((r) => r.path))) {
      const filled = path.replace(/\{\w+\}/g, 'x');
      // Methods no route serves at this path (another route's parameter may take it: GET /api/leads/ingest is a lead id).
      const served = new Set(ROUTES.filter((r) => pattern(r).test(filled)).map((r) => r.method as string));
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].filter((m) => !served.has(m))) {
        const res = await call(server.url, method, filled, { headers: credentials.staffJwt! });
        expect([res.status, res.body.error], `${method} ${filled}`).toEqual([404, 'Route not found']);
        expect(contractProblem(null, filled, res.status, res.body)).toBeNull();
      }
    }
    expect(server.logs.slice(logsBefore).filter((l) => l.includes(CONTRACT_VIOLATION))).toEqual([]);
  });

  it('reached past authentication and validation on every kind of route', () => {
    const seen = [...statuses.entries()].sort(([a], [b]) => a.localeCompare(b));
    const undocumented = server.logs.filter((l) => l.includes(CONTRACT_VIOLATION)).length;
    console.info(
      `[route-table fuzz, ${backendName}] ${requests} requests over ${ROUTES.length} routes; statuses: ${seen.map(([s, n]) => `${s}×${n}`).join(', ')}; ` +
        `undocumented: ${undocumented}; 5xx: ${seen.filter(([s]) => s.startsWith('5')).reduce((sum, [, n]) => sum + n, 0)}`,
    );
    expect(requests).toBe(ROUTES.reduce((sum, route) => sum + runsOf(route, backendName), 0));
    expect(undocumented).toBe(0);
    // The generators are not stuck at the door: many requests were answered by the handlers.
    expect((statuses.get('200') ?? 0) + (statuses.get('201') ?? 0)).toBeGreaterThan(requests / 5);
  });
});
