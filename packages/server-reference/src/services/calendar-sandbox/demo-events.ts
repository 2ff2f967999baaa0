import type { NewEvent } from './event-input.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

/** `days` after `now`'s UTC date, at `hour`:`minute` UTC. */
function at(now: Date, days: number, hour: number, minute = 0): Date {
  const day = new Date(now.getTime() + days * DAY_MS);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour, minute));
}

const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z');
const dateOnly = (date: Date) => date.toISOString().slice(0, 10);

/**
 * What a new sandbox calendar holds, so a connection has something to show and a sync has
 * something to read: two timed events, an all-day one and a weekly recurring one (left
 * unexpanded, with its RRULE, as Google lists recurring events without `singleEvents`).
 * Dates follow `now`, so the events are always in the coming week.
 */
export function demoEvents(now: Date): NewEvent[] {
  const supervision = at(now, 1, 16);
  return [
    {
      summary: 'Team huddle',
      description: 'Daily stand-up of the care team (sandbox demo event).',
      start: { dateTime: iso(at(now, 1, 9)), timeZone: 'Etc/UTC' },
      end: { dateTime: iso(at(now, 1, 9, 30)), timeZone: 'Etc/UTC' },
    },
    {
      summary: 'Home visit: Jordan Demo',
      description: 'Bring the intake forms. (Sandbox demo event: the client is fictional.)',
      start: { dateTime: iso(at(now, 2, 14)), timeZone: 'Etc/UTC' },
      end: { dateTime: iso(at(now, 2, 15)), timeZone: 'Etc/UTC' },
    },
    {
      summary: 'Weekly supervision',
      description: 'Case review with the clinical supervisor (sandbox demo event, repeats weekly).',
      start: { dateTime: iso(supervision), timeZone: 'Etc/UTC' },
      end: { dateTime: iso(at(now, 1, 17)), timeZone: 'Etc/UTC' },
      recurrence: [`RRULE:FREQ=WEEKLY;BYDAY=${WEEKDAYS[supervision.getUTCDay()]}`],
    },
    {
      summary: 'Training day',
      start: { date: dateOnly(at(now, 3, 0)) },
      end: { date: dateOnly(at(now, 4, 0)) },
    },
  ];
}
