// Calendars: what an incremental sync of an unchanged calendar costs beside listing it in full.
// A local fake Google Calendar holds 10,000 events. "Full list" pages through all of them with
// the server's Google events adapter (over HTTP, 2,500 a page, nothing stored); "incremental" is
// the server's real sync pass with the stored sync token and nothing changed (the claim, one
// request answered with an empty page, one transaction storing the new cursor). The goal: ≤ 5 %
// of the full list's time. The full sync pass (listed, sealed, upserted, marked, swept) is
// printed beside them for scale.
import './lib/source-imports.ts';
import { startServer } from '@careos/server-reference';
import { compare, figure, section } from './lib/report.ts';
import type { MeasureOptions } from './lib/measure.ts';

const { startFakeGoogleOAuth, FAKE_GOOGLE_CLIENT } = await import('../packages/server-reference/test/fakes/google-oauth.ts');

const EVENTS = 10_000;
const FULL_ROUNDS = 3;
const INCREMENTAL_ROUNDS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function benchCalendarSync(_options: MeasureOptions): Promise<boolean[]> {
  section(`Calendars: incremental sync of an unchanged calendar vs a full list of the same ${EVENTS.toLocaleString('en-US')} events (fake Google, embedded PGlite)`);
  const google = await startFakeGoogleOAuth();
  const server = await startServer({
    port: 0,
    dataDir: 'memory',
    logger: false,
    env: {
      ...process.env,
      DATABASE_URL: '',
      REDIS_URL: '',
      GOOGLE_CLIENT_ID: FAKE_GOOGLE_CLIENT.clientId,
      GOOGLE_CLIENT_SECRET: FAKE_GOOGLE_CLIENT.clientSecret,
      GOOGLE_REDIRECT_URI: FAKE_GOOGLE_CLIENT.redirectUri,
      GOOGLE_OAUTH_BASE_URL: google.url,
      GOOGLE_CALENDAR_API_BASE_URL: google.url,
      CAREOS_CALENDAR_SYNC_INTERVAL_SECONDS: '0',
    },
  });
  try {
    const credentials = { email: 'bench-calendar@careos.test', password: 'bench calendar password 1' };
    const staff = await server.app.services.staff.create({ ...credentials, name: 'Bench', role: 'staff' });
    const login = await fetch(`${server.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const connect = (await (await fetch(`${server.url}/calendar/google/connect`, { headers: { authorization: `Bearer ${token}` } })).json()) as { authUrl: string };
    const consent = new URL((await fetch(connect.authUrl, { redirect: 'manual' })).headers.get('location')!);
    const callback = await fetch(`${server.url}${consent.pathname}${consent.search}`);
    if (callback.status !== 200) throw new Error(`calendar callback answered ${callback.status}`);
    const [integration] = await server.app.services.calendarConnections.list(staff.id);
    if (!integration) throw new Error('the calendar did not connect');
    const start = Date.UTC(2027, 0, 4, 9);
    for (let i = 0; i < EVENTS; i++) {
      const at = new Date(start + Math.floor(i / 8) * 86_400_000 + (i % 8) * 3_600_000);
      google.calendar.add({
        id: `bench${String(i).padStart(5, '0')}`,
        summary: `Session ${i}`,
        description: 'Follow-up session; bring the intake form.',
        attendees: [{ email: `client${i}@example.org`, displayName: `Client ${i}`, responseStatus: 'accepted' }],
        start: { dateTime: at.toISOString(), timeZone: 'America/New_York' },
        end: { dateTime: new Date(at.getTime() + 3_000_000).toISOString(), timeZone: 'America/New_York' },
      });
    }
    // Google's largest page, as a production sync of a big calendar would ask for.
    const sync = server.app.services.calendarSync.withOptions({ pageSize: 2500 });
    const pass = async (expect: 'full' | 'incremental'): Promise<number> => {
      const t0 = performance.now();
      const outcome = (await sync.syncStaff(staff.id)).google;
      const ms = performance.now() - t0;
      if (outcome?.status !== 'synced' || outcome.mode !== expect) throw new Error(`expected a ${expect} sync, got ${JSON.stringify(outcome)}`);
      if (expect === 'full' && outcome.upserted !== EVENTS) throw new Error(`the full pass stored ${outcome.upserted} events`);
      return ms;
    };
    await pass('full');
    await pass('incremental');
    // The full list alone: the same adapter paging through every event, nothing stored.
    const api = sync.api({ staffId: staff.id, provider: 'google' });
    const list = async (): Promise<number> => {
      const t0 = performance.now();
      let listed = 0;
      for (let page: string | null = null; ; ) {
        const result = await api.listPage({ cursor: null, page, window: { from: new Date(0), to: new Date(0) }, pageSize: 2500 });
        listed += result.events.length;
        if (!result.nextPage) break;
        page = result.nextPage;
      }
      if (listed !== EVENTS) throw new Error(`the full list gave ${listed} events`);
      return performance.now() - t0;
    };
    const full: number[] = [];
    const listing: number[] = [];
    const incremental: number[] = [];
    for (let round = 0; round < FULL_ROUNDS; round++) {
      google.calendar.store.expireCursors();
      full.push(await pass('full'));
      listing.push(await list());
      for (let i = 0; i < INCREMENTAL_ROUNDS / FULL_ROUNDS; i++) incremental.push(await pass('incremental'));
    }
    figure(`Full list (${EVENTS.toLocaleString('en-US')} events paged through the Google adapter, nothing stored), median`, median(listing), 'ms');
    figure('Full sync pass (listed, sealed, upserted, marked and swept), median', median(full), 'ms');
    figure('Incremental sync pass of the unchanged calendar, median', median(incremental), 'ms');
    figure('Incremental pass as a share of the full list', (100 * median(incremental)) / median(listing), '%');
    return [
      compare({
        name: 'Unchanged calendar: incremental sync vs full list',
        ours: { label: 'incremental sync', value: median(incremental) },
        baseline: { label: 'full list', value: median(listing) },
        unit: 'ms',
        goal: 0.05,
        lowerIsBetter: true,
      }),
    ];
  } finally {
    await server.close();
    await google.close();
  }
}
