import { readFlag } from './comms-config.js';
import { readInteger } from './read-integer.js';

/** How connected calendars are kept in sync (`CAREOS_CALENDAR_SYNC_*`). */
export interface CalendarSyncConfig {
  /**
   * How often each connected calendar is synced in the background, seconds
   * (`CAREOS_CALENDAR_SYNC_INTERVAL_SECONDS`, default 300; 0 turns the background sync off —
   * reads with `sync=true` still sync). Each integration's next run is jittered by ±10 %.
   */
  intervalSeconds: number;
  /**
   * `CAREOS_CALENDAR_PUSH_ALLOW_HTTP`: also ask providers to push change notifications to an
   * `http://` `CAREOS_PUBLIC_URL`, when it is a loopback address (tests, a local fake provider).
   * Without it push is used only behind an `https://` public URL (Google and Graph accept no other).
   */
  pushAllowHttpLoopback: boolean;
}

export const DEFAULT_CALENDAR_SYNC_INTERVAL_SECONDS = 300;

/** Reads the calendar sync settings; problems are appended to `problems`. */
export function readCalendarSyncConfig(read: (name: string) => string | undefined, problems: string[]): CalendarSyncConfig {
  const intervalSeconds = readInteger(
    read,
    'CAREOS_CALENDAR_SYNC_INTERVAL_SECONDS',
    { fallback: DEFAULT_CALENDAR_SYNC_INTERVAL_SECONDS, min: 0, max: 86_400, problem: 'CAREOS_CALENDAR_SYNC_INTERVAL_SECONDS must be a whole number of seconds from 0 (off) to 86400' },
    problems,
  );
  if (intervalSeconds > 0 && intervalSeconds < 30) problems.push('CAREOS_CALENDAR_SYNC_INTERVAL_SECONDS must be 0 (off) or at least 30: providers rate-limit tighter polling');
  return { intervalSeconds, pushAllowHttpLoopback: readFlag(read, 'CAREOS_CALENDAR_PUSH_ALLOW_HTTP', problems) };
}
