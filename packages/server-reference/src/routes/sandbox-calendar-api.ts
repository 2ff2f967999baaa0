import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { SandboxApiError } from '../services/calendar-sandbox/event-input.js';
import { MAX_PAGE_SIZE, type ListParams } from '../services/calendar-sandbox/events.js';
import type { HttpKit } from './http-kit.js';

/** `events.list` parameters that would narrow or reorder the listing; the sandbox does not implement them, so it says so. */
const UNSUPPORTED = ['timeMin', 'timeMax', 'updatedMin', 'q', 'orderBy', 'iCalUID', 'privateExtendedProperty', 'sharedExtendedProperty'];
/** The events path, as Google's: only the `primary` calendar (each grant has one). */
const EVENTS = '/api/calendar/v3/calendars/:calendarId/events';

/** Google's error body: `{ error: { code, message, errors: [{ domain, reason, message }] } }`. */
function googleError(res: Response, error: SandboxApiError): void {
  const status = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 404: 'NOT_FOUND', 409: 'ALREADY_EXISTS', 410: 'FAILED_PRECONDITION' }[error.status];
  res.status(error.status).json({ error: { code: error.status, message: error.message, errors: [{ domain: 'global', reason: error.reason, message: error.message }], ...(status ? { status } : {}) } });
}

const unauthenticated = () => new SandboxApiError(401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.');

function single(query: Request['query'], name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 1024) throw new SandboxApiError(400, 'invalid', `Invalid value for ${name}`);
  return value;
}

/** The list parameters, checked as Google checks them. */
function listParams(query: Request['query']): ListParams {
  for (const name of UNSUPPORTED) if (query[name] !== undefined) throw new SandboxApiError(400, 'invalid', `The sandbox calendar does not support ${name}`);
  if (single(query, 'singleEvents') === 'true') throw new SandboxApiError(400, 'invalid', 'The sandbox calendar does not expand recurring events (singleEvents=true)');
  const params: ListParams = {};
  const max = single(query, 'maxResults');
  if (max !== undefined) {
    const n = Number(max);
    if (!/^\d+$/.test(max) || n < 1 || n > MAX_PAGE_SIZE) throw new SandboxApiError(400, 'invalid', `Invalid value for maxResults: give 1 to ${MAX_PAGE_SIZE}`);
    params.maxResults = n;
  }
  const deleted = single(query, 'showDeleted');
  if (deleted !== undefined) {
    if (deleted !== 'true' && deleted !== 'false') throw new SandboxApiError(400, 'invalid', 'Invalid value for showDeleted');
    params.showDeleted = deleted === 'true';
  }
  const pageToken = single(query, 'pageToken');
  const syncToken = single(query, 'syncToken');
  if (pageToken) params.pageToken = pageToken;
  if (syncToken) params.syncToken = syncToken;
  return params;
}

type Handler = (req: Request, res: Response, calendarId: string) => Promise<void>;

/**
 * The sandbox's Google Calendar API v3 shape (`events.list`, `get`, `insert`, `patch`,
 * `delete` on `calendars/primary/events`), so a client written for Google talks to it by
 * changing only its base URL. Every call needs a bearer access token the sandbox issued (401
 * with `WWW-Authenticate` otherwise); errors come in Google's shape.
 */
export function bindSandboxCalendarApi(sandbox: Router, kit: HttpKit): void {
  const { authorization, events } = kit.services.sandboxCalendar;
  const json = express.json({ limit: '64kb', type: () => true });

  const call = (handler: Handler) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      const header = req.headers.authorization;
      const calendarId = header?.startsWith('Bearer ') ? await authorization.calendarOf(header.slice(7).trim()) : null;
      if (!calendarId) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="sandbox-calendar", error="invalid_token"');
        throw unauthenticated();
      }
      if (req.params.calendarId !== 'primary') throw new SandboxApiError(404, 'notFound', 'Not Found');
      await handler(req, res, calendarId);
    } catch (error) {
      if (error instanceof SandboxApiError) googleError(res, error);
      else next(error);
    }
  };
  // A body that is not JSON is Google's `parseError`, not the API's envelope.
  const body = (req: Request, res: Response, next: NextFunction) =>
    json(req, res, (error?: unknown) => (error ? googleError(res, new SandboxApiError(400, 'parseError', 'Parse Error')) : next()));
  const eventId = (req: Request) => req.params.eventId as string;

  sandbox.get(
    EVENTS,
    call(async (req, res, calendarId) => void res.json(await events.list(calendarId, listParams(req.query)))),
  );
  sandbox.post(
    EVENTS,
    body,
    call(async (req, res, calendarId) => void res.json(await events.insert(calendarId, req.body))),
  );
  sandbox.get(
    `${EVENTS}/:eventId`,
    call(async (req, res, calendarId) => void res.json(await events.get(calendarId, eventId(req)))),
  );
  sandbox.patch(
    `${EVENTS}/:eventId`,
    body,
    call(async (req, res, calendarId) => void res.json(await events.patch(calendarId, eventId(req), req.body))),
  );
  sandbox.delete(
    `${EVENTS}/:eventId`,
    call(async (req, res, calendarId) => {
      await events.delete(calendarId, eventId(req));
      res.status(204).end();
    }),
  );
}
