import { randomBytes } from 'node:crypto';
import { instantOf } from '../../src/domain/quiet-hours.js';
import { decodePosition, encodePosition, FakeCalendarStore, type StoredJson } from './calendar-store.js';
import { bearerToken, type LocalApiReply, type LocalApiRequest } from './local-api.js';
import type { OAuthGrants } from './oauth-grants.js';

/** Graph's error envelope. */
export function graphError(status: number, code: string, message: string): LocalApiReply {
  return { status, body: { error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomBytes(16).toString('hex') } } } };
}

/** The 410 Graph answers for a delta state it dropped. */
export const GRAPH_GONE = graphError(410, 'syncStateNotFound', 'The sync state generation is not found. Please do a full sync again.');

/** The fake Microsoft calendar's events and test controls. */
export interface FakeGraphCalendar {
  store: FakeCalendarStore;
  /** Adds an event (times as UTC instants); fills `iCalUId`, `type`, `showAs`, `lastModifiedDateTime`. */
  add(event: { id?: string; subject?: string; start: Date; end: Date; iCalUId?: string } & Record<string, unknown>): StoredJson;
}

/** A Graph `dateTimeTimeZone` in UTC, as Graph writes it under `outlook.timezone="UTC"`. */
export const graphUtc = (at: Date) => ({ dateTime: `${at.toISOString().slice(0, 19)}.0000000`, timeZone: 'UTC' });

/** A written `dateTimeTimeZone` (wall time in its zone) as an instant. */
function instantOfGraph(time: { dateTime: string; timeZone: string }): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(time.dateTime)!;
  if (time.timeZone === 'UTC') return new Date(`${time.dateTime.slice(0, 19)}Z`);
  return instantOf(+m[1]!, +m[2]!, +m[3]!, +m[4]! * 60 + +m[5]!, time.timeZone);
}

/**
 * Microsoft Graph's calendar view delta and events, as it answers (bearer tokens the fake
 * issued only, `401 InvalidAuthenticationToken` otherwise):
 * - `GET /v1.0/me/calendarView/delta?startDateTime&endDateTime` then the `@odata.nextLink`s
 *   (`$skiptoken`), the last page with `@odata.deltaLink` (`$deltatoken`); `Prefer:
 *   odata.maxpagesize=N`; deletions as `@removed`; only events overlapping the window; a dropped
 *   delta state is `410 syncStateNotFound`, also on a later page;
 * - `GET /v1.0/me/events?$filter=singleValueExtendedProperties/Any(ep: ep/id eq '…' and ep/value eq '…')`:
 *   the live events carrying that extended property (`$top`);
 * - `POST /v1.0/me/events` (201; a repeated `transactionId` answers the event it already made),
 *   `PATCH /v1.0/me/events/{id}` (200), `DELETE` (204; 404 `ErrorItemNotFound`).
 */
export function graphCalendarRoutes(grants: OAuthGrants, origin: () => string): { calendar: FakeGraphCalendar; handle(request: LocalApiRequest): LocalApiReply | null } {
  const store = new FakeCalendarStore();
  const add: FakeGraphCalendar['add'] = ({ start, end, ...rest }) => {
    const id = rest.id ?? `AAMkAG${randomBytes(18).toString('base64url')}`;
    return store.put({ '@odata.etag': `W/"${randomBytes(6).toString('hex')}"`, type: 'singleInstance', showAs: 'busy', isAllDay: false, isCancelled: false, iCalUId: `040000008200E00074C5B7101A82E008${randomBytes(16).toString('hex').toUpperCase()}`, originalStartTimeZone: 'UTC', lastModifiedDateTime: new Date().toISOString(), ...rest, id, start: graphUtc(start), end: graphUtc(end) });
  };
  const written = (body: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...body };
    for (const key of ['start', 'end'] as const) {
      const t = body[key] as { dateTime: string; timeZone: string } | undefined;
      if (t) out[key] = graphUtc(instantOfGraph(t));
    }
    if (body.start) out.originalStartTimeZone = (body.start as { timeZone: string }).timeZone;
    return out;
  };
  const handle = (request: LocalApiRequest): LocalApiReply | null => {
    if (!request.path.startsWith('/v1.0/')) return null;
    if (!grants.isLiveAccessToken(bearerToken(request.headers.authorization as string | undefined) ?? '')) return graphError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.');
    if (request.path === '/v1.0/me/calendarView/delta' && request.method === 'GET') return delta(request);
    if (request.path === '/v1.0/me/events' && request.method === 'GET') {
      const filter = /ep\/id eq '(.+?)' and ep\/value eq '(.+?)'\)$/.exec(request.query.get('$filter') ?? '');
      const items = store.live().filter((e) => !filter || ((e.singleValueExtendedProperties as { id: string; value: string }[] | undefined) ?? []).some((p) => p.id === filter[1] && p.value === filter[2]));
      return { status: 200, body: { value: items.slice(0, Number(request.query.get('$top') ?? 10)) } };
    }
    if (request.path === '/v1.0/me/events' && request.method === 'POST') {
      const body = written(JSON.parse(request.body || '{}') as Record<string, unknown>);
      const again = body.transactionId ? store.live().find((e) => e.transactionId === body.transactionId) : undefined;
      if (again) return store.answerCreate({ status: 201, body: again });
      const id = `AAMkAG${randomBytes(18).toString('base64url')}`;
      return store.answerCreate({ status: 201, body: store.put({ type: 'singleInstance', showAs: 'busy', isAllDay: false, iCalUId: `040000008200E00074C5B7101A82E008${randomBytes(16).toString('hex').toUpperCase()}`, lastModifiedDateTime: new Date().toISOString(), ...body, id }) });
    }
    const id = request.path.startsWith('/v1.0/me/events/') ? decodeURIComponent(request.path.slice('/v1.0/me/events/'.length)) : null;
    const current = id ? store.get(id) : undefined;
    if (!id || !current) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    if (request.method === 'PATCH') return { status: 200, body: store.put({ ...current, ...written(JSON.parse(request.body || '{}') as Record<string, unknown>), id, lastModifiedDateTime: new Date().toISOString() }) };
    if (request.method === 'DELETE') return store.remove(id) ? { status: 204 } : graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return graphError(405, 'ErrorInvalidRequest', 'The OData request is not supported.');
  };
  const delta = (request: LocalApiRequest): LocalApiReply => {
    const q = request.query;
    const skip = q.get('$skiptoken');
    const fault = store.takeFault(skip !== null);
    if (fault) return fault;
    let position;
    if (skip) {
      position = decodePosition(skip);
      if (!position) return graphError(400, 'ErrorInvalidUrlQuery', 'The skip token is not valid.');
      if (position.since !== null && !store.honours(position.since)) return GRAPH_GONE;
    } else if (q.get('$deltatoken')) {
      const state = decodePosition(q.get('$deltatoken')!);
      if (!state) return graphError(400, 'ErrorInvalidUrlQuery', 'The delta token is not valid.');
      if (!store.honours(state.snapshot)) return GRAPH_GONE;
      position = store.start(state.snapshot, state.extra);
    } else {
      const from = Date.parse(q.get('startDateTime') ?? '');
      const to = Date.parse(q.get('endDateTime') ?? '');
      if (Number.isNaN(from) || Number.isNaN(to)) return graphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
      position = store.start(null, { from, to });
    }
    const window = position.extra as { from: number; to: number };
    const size = Number(/odata\.maxpagesize=(\d+)/.exec(String(request.headers.prefer ?? ''))?.[1] ?? 100);
    const overlaps = (json: StoredJson) => instantOfGraph(json.start as never).getTime() < window.to && instantOfGraph(json.end as never).getTime() > window.from;
    const { items, next } = store.page(position, size, overlaps);
    const base = `${origin()}/v1.0/me/calendarView/delta`;
    return {
      status: 200,
      headers: { 'preference-applied': 'odata.maxpagesize, outlook.timezone="UTC"' },
      body: {
        '@odata.context': `${origin()}/v1.0/$metadata#Collection(event)`,
        value: items.map(({ json, deleted }) => (deleted ? { '@odata.type': '#microsoft.graph.event', id: json.id, '@removed': { reason: 'deleted' } } : json)),
        ...(next ? { '@odata.nextLink': `${base}?$skiptoken=${encodePosition(next)}` } : { '@odata.deltaLink': `${base}?$deltatoken=${encodePosition(store.start(position.snapshot, position.extra))}` }),
      },
    };
  };
  return { calendar: { store, add }, handle };
}
