import { isTimeZone } from '@careos/contract';
import { parseQuietHours, type QuietHours } from '../domain/quiet-hours.js';
import { readInteger } from './read-integer.js';

/** Bookings' settings (`CAREOS_TIME_ZONE`, `CAREOS_QUIET_HOURS`, `CAREOS_BOOKING_REMINDER_*`). */
export interface BookingConfig {
  /**
   * The business's IANA time zone until an admin sets one (`PATCH /admin/settings`), from
   * `CAREOS_TIME_ZONE` (default `UTC`).
   */
  defaultTimeZone: string;
  /**
   * How long before a booking its automatic reminder is due, in minutes
   * (`CAREOS_BOOKING_REMINDER_LEAD_MINUTES`, default 1440: a day; 0 turns automatic reminders off).
   */
  reminderLeadMinutes: number;
  /**
   * Quiet hours until an admin sets them, from `CAREOS_QUIET_HOURS` (`HH:MM-HH:MM` local time,
   * e.g. `21:00-08:00`; unset or `off`: none). None by default: read in the default `UTC` zone,
   * a window would hold a US evening's messages until the small hours there.
   */
  defaultQuietHours: QuietHours | null;
  /** How often the reminder worker looks for due reminders, ms (`CAREOS_BOOKING_REMINDER_POLL_MS`, default 30 s). */
  reminderPollMs: number;
  /**
   * How often the calendar push worker looks for booking events to write to staff calendars, ms
   * (`CAREOS_CALENDAR_PUSH_POLL_MS`, default 10 s; a booking change also wakes it at once).
   */
  calendarPushPollMs: number;
}

export const DEFAULT_REMINDER_LEAD_MINUTES = 24 * 60;
export const DEFAULT_REMINDER_POLL_MS = 30_000;
export const DEFAULT_CALENDAR_PUSH_POLL_MS = 10_000;

/** Reads the bookings' settings; problems are appended to `problems`. */
export function readBookingConfig(read: (name: string) => string | undefined, problems: string[]): BookingConfig {
  const defaultTimeZone = read('CAREOS_TIME_ZONE') ?? 'UTC';
  if (!isTimeZone(defaultTimeZone)) problems.push('CAREOS_TIME_ZONE must be an IANA time zone such as America/New_York');
  const reminderLeadMinutes = readInteger(read, 'CAREOS_BOOKING_REMINDER_LEAD_MINUTES', { fallback: DEFAULT_REMINDER_LEAD_MINUTES, min: 0, max: 60 * 24 * 60, problem: 'CAREOS_BOOKING_REMINDER_LEAD_MINUTES must be a whole number of minutes from 0 (off) to 86400' }, problems);
  const reminderPollMs = readInteger(read, 'CAREOS_BOOKING_REMINDER_POLL_MS', { fallback: DEFAULT_REMINDER_POLL_MS, min: 100, problem: 'CAREOS_BOOKING_REMINDER_POLL_MS must be a number of milliseconds of at least 100' }, problems);
  const calendarPushPollMs = readInteger(read, 'CAREOS_CALENDAR_PUSH_POLL_MS', { fallback: DEFAULT_CALENDAR_PUSH_POLL_MS, min: 100, problem: 'CAREOS_CALENDAR_PUSH_POLL_MS must be a number of milliseconds of at least 100' }, problems);
  const quietText = read('CAREOS_QUIET_HOURS') ?? 'off';
  const defaultQuietHours = quietText === 'off' ? null : parseQuietHours(quietText);
  if (quietText !== 'off' && !defaultQuietHours) problems.push('CAREOS_QUIET_HOURS must be HH:MM-HH:MM in local 24-hour time (e.g. 21:00-08:00), or off');
  return { defaultTimeZone, defaultQuietHours, reminderLeadMinutes, reminderPollMs, calendarPushPollMs };
}
