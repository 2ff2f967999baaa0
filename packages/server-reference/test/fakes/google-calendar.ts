import { randomBytes } from 'node:crypto';
import { decodePosition, encodePosition, FakeCalendarStore, type StoredJson } from './calendar-store.js';
import { bearerToken, type LocalApiReply, type LocalApiRequest } from './local-api.js';
import type { OAuthGrants } from './oauth-grants.js';

const EVENTS = '/calendar/v3/calendars/primary/events';

/** Google's error envelope. */
export function googleError(code: number, reason: string, message: string, status?: string): LocalApiReply {
  return { status: code, body: { error: { errors: [{ domain: 'global', reason, message }], code, message, ...(status ? { status } : {}) } } };
}

/** The 410 Google answers for an expired sync token. */
export const GOOGLE_GONE = googleError(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.');

/** The fake Google calendar's events and test controls. */
export interface FakeGoogleCalendar {
  store: FakeCalendarStore;
  /** Adds (or replaces) an event as if made in Google Calendar; fills `iCalUID`, `status`, `updated`. */
  add(event: Partial<StoredJson> & { id?: string }): StoredJson;
}

const syncToken = (seq: number) => `CAES${Buffer.from(JSON.stringify({ seq })).toString('base64url')}`;
function seqOf(token: string): number | null {
  try {
    const seq = (JSON.parse(Buffer.from(token.slice(4), 'base64url').toString('utf8')) as { seq?: unknown }).seq;
    return token.startsWith('CAES') && typeof seq === 'number' ? seq : null;
  } catch {
    return null;
  }
}

/**
 * Google Calendar API v3 on the primary calendar, as it answers (only bearer tokens the fake
 * issued, `401 UNAUTHENTICATED` otherwise):
 * - `GET …/events` with `maxResults` (≤ 2500), `pageToken`, `syncToken`: pages in id order;
 *   the last page carries `nextSyncToken`; with a sync token only changes, deletions as
 *   `status: "cancelled"` stubs; an expired token — on the first page or a later one — is
 *   `410 fullSyncRequired`;
 * - `GET …/events?privateExtendedProperty=name=value`: the live events carrying that private
 *   extended property (no paging or sync token, as CareOS looks one event up by its key);
 * - `POST …/events` (200), `GET …/events/{id}` (200, a deleted one as `status: "cancelled"`,
 *   404), `PATCH …/events/{id}` (200, 404), `DELETE …/events/{id}` (204; 410 `deleted` when
 *   already deleted, 404 when unknown).
 */
export function googleCalendarRoutes(grants: OAuthGrants): { calendar: FakeGoogleCalendar; handle(request: LocalApiRequest): LocalApiReply | null } {
  const store = new FakeCalendarStore();
  const add = (event: Partial<StoredJson> & { id?: string }): StoredJson => {
    const id = event.id ?? randomBytes(13).toString('hex');
    return store.put({ kind: 'calendar#event', status: 'confirmed', iCalUID: `${id}@google.com`, updated: new Date().toISOString(), ...event, id });
  };
  const handle = (request: LocalApiRequest): LocalApiReply | null => {
    if (!request.path.startsWith('/calendar/v3/')) return null;
    if (!grants.isLiveAccessToken(bearerToken(request.headers.authorization as string | undefined) ?? '')) {
      return googleError(401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'UNAUTHENTICATED');
    }
    if (request.path === EVENTS && request.method === 'GET') return request.query.has('privateExtendedProperty') ? byProperty(request) : list(request);
    if (request.path === EVENTS && request.method === 'POST') return store.answerCreate({ status: 200, body: add({ ...(JSON.parse(request.body || '{}') as object), created: new Date().toISOString() }) });
    const id = request.path.startsWith(`${EVENTS}/`) ? decodeURIComponent(request.path.slice(EVENTS.length + 1)) : null;
    if (id === null) return googleError(404, 'notFound', 'Not Found');
    if (request.method === 'GET') {
      const current = store.get(id);
      if (current) return { status: 200, body: current };
      return store.wasDeleted(id) ? { status: 200, body: { kind: 'calendar#event', id, status: 'cancelled' } } : googleError(404, 'notFound', 'Not Found');
    }
    if (request.method === 'PATCH') {
      const current = store.get(id);
      if (!current) return googleError(404, 'notFound', 'Not Found');
      return { status: 200, body: store.put({ ...current, ...(JSON.parse(request.body || '{}') as object), id, updated: new Date().toISOString() }) };
    }
    if (request.method === 'DELETE') {
      if (store.wasDeleted(id)) return googleError(410, 'deleted', 'Resource has been deleted');
      return store.remove(id) ? { status: 204 } : googleError(404, 'notFound', 'Not Found');
    }
    return googleError(405, 'httpMethodNotAllowed', 'Method Not Allowed');
  };
  const byProperty = (request: LocalApiRequest): LocalApiReply => {
    const [name, value] = request.query.get('privateExtendedProperty')!.split('=');
    const items = store.live().filter((e) => (e.extendedProperties as { private?: Record<string, string> } | undefined)?.private?.[name!] === value);
    return { status: 200, body: { kind: 'calendar#events', timeZone: 'UTC', items: items.slice(0, Number(request.query.get('maxResults') ?? 250)) } };
  };
  const list = (request: LocalApiRequest): LocalApiReply => {
    const q = request.query;
    const pageToken = q.get('pageToken');
    const fault = store.takeFault(pageToken !== null);
    if (fault) return fault;
    let position;
    if (pageToken) {
      position = decodePosition(pageToken);
      if (!position) return googleError(400, 'invalid', 'Invalid page token value.');
      if (position.since !== null && !store.honours(position.since)) return GOOGLE_GONE;
    } else if (q.get('syncToken')) {
      const since = seqOf(q.get('syncToken')!);
      if (since === null) return googleError(400, 'invalid', 'Invalid sync token value.');
      if (!store.honours(since)) return GOOGLE_GONE;
      position = store.start(since);
    } else position = store.start(null);
    const size = Math.min(Number(q.get('maxResults') ?? 250) || 250, 2500);
    const { items, next } = store.page(position, size);
    return {
      status: 200,
      body: {
        kind: 'calendar#events',
        summary: 'primary',
        timeZone: 'UTC',
        updated: new Date().toISOString(),
        items: items.map(({ json, deleted }) =>
          deleted ? { kind: 'calendar#event', id: json.id, status: 'cancelled', ...(json.recurringEventId ? { recurringEventId: json.recurringEventId, originalStartTime: json.originalStartTime } : {}) } : json,
        ),
        ...(next ? { nextPageToken: encodePosition(next) } : { nextSyncToken: syncToken(position.snapshot) }),
      },
    };
  };
  return { calendar: { store, add }, handle };
}
