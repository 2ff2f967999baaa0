/**
 * What the sandbox's events API accepts, checked as the Google Calendar API v3 checks it (the
 * subset of the event resource a calendar sync writes: summary, description, start, end,
 * recurrence, and optionally a client-chosen id or iCalUID). Unknown and read-only fields are
 * ignored, as Google ignores them.
 */

/** A refusal the API answers in Google's error shape (`{ error: { code, message, errors: [{ reason }] } }`). */
export class SandboxApiError extends Error {
  override readonly name = 'SandboxApiError';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** `start` / `end` as the API writes them: a timed event's instant (and zone), or an all-day date. */
export type EventTime = { dateTime: string; timeZone?: string } | { date: string };

/** The writable fields of an event after checking. `null` clears a field (patch). */
export interface EventFields {
  summary?: string | null;
  description?: string | null;
  start?: EventTime;
  end?: EventTime;
  recurrence?: string[] | null;
}

/** An insert: the fields, plus the ids a client may choose. */
export interface NewEvent extends EventFields {
  start: EventTime;
  end: EventTime;
  id?: string;
  iCalUID?: string;
}

/** Event ids as Google allows them: base32hex (`a`–`v`, `0`–`9`), 5 to 1024 characters. */
export const EVENT_ID = /^[a-v0-9]{5,1024}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** RFC 3339 with a UTC offset: the sandbox needs the instant without looking the zone up. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const RECURRENCE_LINE = /^(RRULE|EXRULE|RDATE|EXDATE)[:;]/;

const invalid = (message: string) => new SandboxApiError(400, 'invalid', message);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length <= 64;
  } catch {
    return false;
  }
}

function text(body: Record<string, unknown>, name: string, max: number): string | null | undefined {
  const value = body[name];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string' || value.length > max) throw invalid(`${name} must be a string of at most ${max} characters`);
  return value;
}

function eventTime(value: unknown, name: 'start' | 'end'): EventTime {
  if (!isObject(value)) throw invalid(`Missing ${name} time.`);
  const { date, dateTime, timeZone } = value;
  if (timeZone !== undefined && (typeof timeZone !== 'string' || !validZone(timeZone))) throw invalid(`Invalid time zone definition for ${name} time.`);
  if (typeof dateTime === 'string' && date === undefined) {
    if (!DATE_TIME.test(dateTime) || Number.isNaN(Date.parse(dateTime))) throw invalid(`Invalid ${name} time: dateTime must be RFC 3339 with a UTC offset`);
    return timeZone === undefined ? { dateTime } : { dateTime, timeZone: timeZone as string };
  }
  if (typeof date === 'string' && dateTime === undefined) {
    if (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw invalid(`Invalid ${name} time: date must be YYYY-MM-DD`);
    return { date };
  }
  throw invalid(`Invalid ${name} time: give either date or dateTime`);
}

function recurrence(value: unknown): string[] | null | undefined {
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value) || value.length > 20 || !value.every((line) => typeof line === 'string' && line.length <= 1024 && RECURRENCE_LINE.test(line))) {
    throw invalid('Invalid recurrence rule: give up to 20 RRULE, EXRULE, RDATE or EXDATE lines');
  }
  return value as string[];
}

/** The instant an event time starts (an all-day date at 00:00 UTC), for ordering start and end. */
export function instantOf(time: EventTime): number {
  return 'date' in time ? Date.parse(`${time.date}T00:00:00Z`) : Date.parse(time.dateTime);
}

/** Checks an event's final start, end and recurrence together (after an insert or a patch). */
export function checkTimes(start: EventTime, end: EventTime, rules: string[] | null): void {
  if ('date' in start !== 'date' in end) throw invalid('Start and end must both be dates or both be dateTimes');
  if (instantOf(end) <= instantOf(start)) throw new SandboxApiError(400, 'timeRangeEmpty', 'The specified time range is empty.');
  if (rules?.length && 'dateTime' in start && !start.timeZone) throw invalid('Missing time zone definition for start time.');
}

/** The fields of a patch body (only those present). */
export function readPatch(body: unknown): EventFields {
  if (!isObject(body)) throw new SandboxApiError(400, 'parseError', 'Parse Error');
  const fields: EventFields = {};
  const summary = text(body, 'summary', 1024);
  const description = text(body, 'description', 8192);
  if (summary !== undefined) fields.summary = summary;
  if (description !== undefined) fields.description = description;
  if (body.start !== undefined) fields.start = eventTime(body.start, 'start');
  if (body.end !== undefined) fields.end = eventTime(body.end, 'end');
  const rules = recurrence(body.recurrence);
  if (rules !== undefined) fields.recurrence = rules;
  return fields;
}

/** An insert body: start and end required, ids optional. */
export function readInsert(body: unknown): NewEvent {
  if (!isObject(body)) throw new SandboxApiError(400, 'parseError', 'Parse Error');
  const fields = readPatch(body);
  if (!fields.start) throw invalid('Missing start time.');
  if (!fields.end) throw invalid('Missing end time.');
  const event: NewEvent = { ...fields, start: fields.start, end: fields.end };
  if (body.id !== undefined) {
    if (typeof body.id !== 'string' || !EVENT_ID.test(body.id)) throw invalid('Invalid resource id value.');
    event.id = body.id;
  }
  if (body.iCalUID !== undefined) {
    if (typeof body.iCalUID !== 'string' || body.iCalUID.length === 0 || body.iCalUID.length > 1024) throw invalid('Invalid iCalUID value.');
    event.iCalUID = body.iCalUID;
  }
  checkTimes(event.start, event.end, event.recurrence ?? null);
  return event;
}
