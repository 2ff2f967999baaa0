// Every route of the table × every kind of credential: a credential the route does not take, or
// a staff role it does not name, is refused (401 / 403) before anything else happens; the one it
// takes gets past authentication. Built from the contract, so a route added later is covered
// without anyone remembering to add it here.
import { allowedRoles, ErrorText, routeList, type RouteSpec } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/index.js';
import { partnerHeaders, startApp, testEnv, type TestApp } from './helpers/app.js';
import { calendarEnv } from './helpers/calendar.js';
import { call } from './helpers/http.js';
import { integrationToken } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';

const ROUTES = routeList as readonly RouteSpec[];
const CREDENTIALS = ['none', 'admin', 'staff', 'partner', 'integration', 'lookup'] as const;
type Credential = (typeof CREDENTIALS)[number];

/** Whether a route admits a credential, read from the route table alone. */
function admits(route: RouteSpec, credential: Credential): boolean {
  switch (route.auth) {
    case 'none':
      return true;
    case 'staffJwt':
      return (credential === 'admin' || credential === 'staff') && allowedRoles(route).includes(credential);
    case 'partnerKey':
      return credential === 'partner';
    case 'integrationJwt':
      return credential === 'integration';
    case 'lookupKey':
      return credential === 'lookup';
    case 'twilioSignature':
    case 'sendgridSignature':
    case 'googleChannelToken':
    case 'graphClientState':
      // Signed by the provider over the body: no credential of ours gets in.
      return false;
  }
}

/** Authentication and role refusals: what a refused credential gets, and what an admitted one never does. */
const AUTH_REFUSALS = new Set<string>([
  ErrorText.notAuthenticated,
  ErrorText.invalidApiKey,
  ErrorText.invalidIntegrationToken,
  ErrorText.forbidden,
  ErrorText.unauthorized,
  ErrorText.invalidSignature,
]);

describe('auth matrix: every route × every credential', () => {
  let db: Database;
  let server: TestApp;
  const headers = {} as Record<Credential, Record<string, string>>;

  beforeAll(async () => {
    db = await openDatabase({});
    server = await startApp({ db, env: testEnv({ keys: generateTestKeys(), extra: { ...calendarEnv(), CAREOS_CALENDAR_SANDBOX: 'true' } }) });
    const demo = await server.app.seedDemo();
    await server.app.services.staff.create({ email: 'nurse@careos.test', password: 'staff password 1', name: 'Nurse', role: 'staff' });
    const token = async (email: string, password: string) => {
      const res = await call(server.url, 'POST', '/auth/login', { json: { email, password } });
      return { authorization: `Bearer ${res.body.access_token as string}` };
    };
    headers.none = {};
    headers.admin = await token(demo.admin.email, demo.admin.password);
    headers.staff = await token('nurse@careos.test', 'staff password 1');
    headers.partner = partnerHeaders();
    headers.integration = { authorization: `Bearer ${await integrationToken(server, demo.integration)}` };
    headers.lookup = { 'x-api-key': demo.lookup.apiKey };
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  // Path parameters get a well-formed id that names nothing; bodies are empty objects. Neither
  // matters to authentication, which runs first.
  const request = (route: RouteSpec, credential: Credential) =>
    call(server.url, route.method, route.path.replace(/\{[^}]+\}/g, 'x_00000000000000000000000000'), {
      headers: headers[credential],
      ...(route.body ? { json: {} } : {}),
    });

  for (const route of ROUTES.filter((r) => r.auth !== 'none')) {
    it(`${route.method} ${route.path} (${route.auth}${route.roles ? `: ${route.roles.join(', ')}` : ''})`, async () => {
      for (const credential of CREDENTIALS) {
        const res = await request(route, credential);
        const label = `${route.id} with ${credential} → ${res.status} ${res.text.slice(0, 120)}`;
        expect(res.status, label).toBeLessThan(500);
        if (admits(route, credential)) {
          expect(AUTH_REFUSALS.has(res.body?.error as string), label).toBe(false);
        } else {
          expect([401, 403], label).toContain(res.status);
          expect(AUTH_REFUSALS.has(res.body?.error as string), label).toBe(true);
        }
      }
    });
  }

  it('covers every route of the table but the public ones, and every staff route names its roles', () => {
    const covered = ROUTES.filter((r) => r.auth !== 'none').length;
    const open = ROUTES.filter((r) => r.auth === 'none').map((r) => r.id).sort();
    expect(covered + open.length).toBe(ROUTES.length);
    expect(open).toEqual(['createIntegrationToken', 'googleCalendarCallback', 'health', 'login', 'logout', 'microsoftCalendarCallback', 'readiness', 'refreshToken', 'register', 'retrievePublicKey', 'sandboxCalendarCallback'].sort());
    expect(ROUTES.filter((r) => r.auth === 'staffJwt' && !r.roles)).toEqual([]);
  });
});
