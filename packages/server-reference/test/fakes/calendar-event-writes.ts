import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { instantOf } from '../../src/domain/quiet-hours.js';
import { bearerToken } from './local-api.js';
import type { OAuthGrants } from './oauth-grants.js';

/** An event the fake holds, in its provider's JSON. */
export type FakeEvent = Record<string, unknown> & { id: string };

/** A request the fake received. */
export interface FakeEventsRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A running fake of a provider's event writes (Google Calendar v3 or Microsoft Graph). */
export interface FakeEventWrites {
  url: string;
  requests: FakeEventsRequest[];
  /** Live events by id. */
  events: Map<string, FakeEvent>;
  /** The next create is carried out, then the connection is dropped before any answer (a lost answer, as after a timeout). */
  dropNextCreateAnswer(): void;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body?: unknown;
}

const GOOGLE_EVENTS = '/calendar/v3/calendars/primary/events';
const GRAPH_EVENTS = '/v1.0/me/events';

const googleError = (code: number, reason: string, message: string): Reply => ({ status: code, body: { error: { errors: [{ domain: 'global', reason, message }], code, message } } });
const graphError = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message } } });

/** A Graph `dateTimeTimeZone` written by a client (wall time in its zone) as an instant. */
function graphInstant(time: { dateTime: string; timeZone: string }): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(time.dateTime)!;
  if (time.timeZone === 'UTC') return new Date(`${time.dateTime.slice(0, 19)}Z`);
  return new Date(instantOf(+m[1]!, +m[2]!, +m[3]!, +m[4]! * 60 + +m[5]!, time.timeZone).getTime() + +(m[6] ?? 0) * 1000);
}
const graphUtc = (at: Date) => ({ dateTime: `${at.toISOString().slice(0, 19)}.0000000`, timeZone: 'UTC' });

/**
 * Google Calendar v3 writes on the primary calendar, as Google answers them (bearer tokens the
 * OAuth fake issued only, `401` otherwise): `POST …/events` (200, the event with `id`,
 * `iCalUID`, `status`, its `extendedProperties`), `PATCH …/events/{id}` (200, 404),
 * `DELETE …/events/{id}` (204; 410 `deleted` when already deleted), and `GET …/events` with
 * `privateExtendedProperty=name=value` (live events carrying that private property).
 */
function google(grants: OAuthGrants, events: Map<string, FakeEvent>, deleted: Set<string>) {
  return (req: FakeEventsRequest): Reply => {
    if (!grants.isLiveAccessToken(bearerToken(req.headers.authorization as string | undefined) ?? '')) return googleError(401, 'authError', 'Invalid Credentials');
    if (req.path === GOOGLE_EVENTS && req.method === 'GET') {
      const [name, value] = (req.query.get('privateExtendedProperty') ?? '').split('=');
      const items = [...events.values()].filter((e) => !name || (e.extendedProperties as { private?: Record<string, string> } | undefined)?.private?.[name] === value);
      return { status: 200, body: { kind: 'calendar#events', timeZone: 'UTC', items: items.slice(0, Number(req.query.get('maxResults') ?? 250)) } };
    }
    if (req.path === GOOGLE_EVENTS && req.method === 'POST') {
      const id = randomBytes(13).toString('hex');
      const now = new Date().toISOString();
      const event = { kind: 'calendar#event', ...(JSON.parse(req.body || '{}') as object), id, status: 'confirmed', iCalUID: `${id}@google.com`, created: now, updated: now };
      events.set(id, event);
      return { status: 200, body: event };
    }
    const id = req.path.startsWith(`${GOOGLE_EVENTS}/`) ? decodeURIComponent(req.path.slice(GOOGLE_EVENTS.length + 1)) : null;
    if (!id) return googleError(404, 'notFound', 'Not Found');
    if (req.method === 'DELETE') {
      if (deleted.has(id)) return googleError(410, 'deleted', 'Resource has been deleted');
      if (!events.delete(id)) return googleError(404, 'notFound', 'Not Found');
      deleted.add(id);
      return { status: 204 };
    }
    const current = events.get(id);
    if (!current) return googleError(404, 'notFound', 'Not Found');
    if (req.method === 'PATCH') {
      const event = { ...current, ...(JSON.parse(req.body || '{}') as object), id, updated: new Date().toISOString() };
      events.set(id, event);
      return { status: 200, body: event };
    }
    return googleError(405, 'httpMethodNotAllowed', 'Method Not Allowed');
  };
}

/**
 * Microsoft Graph event writes on the signed-in user's calendar, as Graph answers them:
 * `POST /v1.0/me/events` (201; a repeated `transactionId` answers the event it already made),
 * `PATCH` and `DELETE /v1.0/me/events/{id}` (404 `ErrorItemNotFound`), and `GET /v1.0/me/events`
 * with `$filter=singleValueExtendedProperties/Any(ep: ep/id eq '…' and ep/value eq '…')`. Times
 * come back in UTC (the client asks with `Prefer: outlook.timezone="UTC"`).
 */
function graph(grants: OAuthGrants, events: Map<string, FakeEvent>) {
  const stored = (body: Record<string, unknown>, base: Record<string, unknown> = {}): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...base, ...body };
    for (const key of ['start', 'end'] as const) if (body[key]) out[key] = graphUtc(graphInstant(body[key] as { dateTime: string; timeZone: string }));
    if (body.start) out.originalStartTimeZone = (body.start as { timeZone: string }).timeZone;
    return out;
  };
  return (req: FakeEventsRequest): Reply => {
    if (!grants.isLiveAccessToken(bearerToken(req.headers.authorization as string | undefined) ?? '')) return graphError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.');
    if (req.path === GRAPH_EVENTS && req.method === 'GET') {
      const filter = /ep\/id eq '(.+?)' and ep\/value eq '(.+?)'\)$/.exec(req.query.get('$filter') ?? '');
      const items = [...events.values()].filter(
        (e) => !filter || ((e.singleValueExtendedProperties as { id: string; value: string }[] | undefined) ?? []).some((p) => p.id === filter[1] && p.value === filter[2]),
      );
      return { status: 200, body: { value: items.slice(0, Number(req.query.get('$top') ?? 10)) } };
    }
    if (req.path === GRAPH_EVENTS && req.method === 'POST') {
      const body = JSON.parse(req.body || '{}') as Record<string, unknown>;
      const again = body.transactionId ? [...events.values()].find((e) => e.transactionId === body.transactionId) : undefined;
      if (again) return { status: 201, body: again };
      const id = `AAMkAG${randomBytes(18).toString('base64url')}`;
      const event = { id, ...stored(body, { type: 'singleInstance', showAs: 'busy', isAllDay: false, isCancelled: false }), iCalUId: `040000008200E00074C5B7101A82E008${randomBytes(16).toString('hex').toUpperCase()}`, lastModifiedDateTime: new Date().toISOString() } as FakeEvent;
      events.set(id, event);
      return { status: 201, body: event };
    }
    const id = req.path.startsWith(`${GRAPH_EVENTS}/`) ? decodeURIComponent(req.path.slice(GRAPH_EVENTS.length + 1)) : null;
    const current = id ? events.get(id) : undefined;
    if (!id || !current) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    if (req.method === 'PATCH') {
      const event = { ...stored(JSON.parse(req.body || '{}') as Record<string, unknown>, current), id, lastModifiedDateTime: new Date().toISOString() } as FakeEvent;
      events.set(id, event);
      return { status: 200, body: event };
    }
    if (req.method === 'DELETE') {
      events.delete(id);
      return { status: 204 };
    }
    return graphError(405, 'ErrorInvalidRequest', 'The OData request is not supported.');
  };
}

/**
 * A fake of the event writes CareOS makes to a staff member's calendar (`provider`), on its own
 * origin (`GOOGLE_CALENDAR_API_BASE_URL` / `MICROSOFT_GRAPH_BASE_URL`), accepting the access
 * tokens of the OAuth fake whose `grants` it is given.
 */
export async function startFakeEventWrites(provider: 'google' | 'microsoft', grants: OAuthGrants): Promise<FakeEventWrites> {
  const events = new Map<string, FakeEvent>();
  const handle = provider === 'google' ? google(grants, events, new Set()) : graph(grants, events);
  const requests: FakeEventsRequest[] = [];
  let dropCreates = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const request: FakeEventsRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      const reply = handle(request);
      if (request.method === 'POST' && dropCreates > 0 && reply.status < 300) {
        dropCreates--;
        res.socket?.destroy();
        return;
      }
      res.writeHead(reply.status, reply.body === undefined ? {} : { 'content-type': 'application/json' }).end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    events,
    dropNextCreateAnswer: () => void dropCreates++,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
