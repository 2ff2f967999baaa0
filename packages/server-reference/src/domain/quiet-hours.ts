/**
 * Quiet hours: the local times of day when automated messages wait. Wall-clock times are
 * turned into instants with `Intl` alone, so midnight-crossing windows and daylight-saving
 * days need no date library.
 */

/** A daily window in the business's local time, `HH:MM` 24-hour; `start` after `end` crosses midnight. */
export interface QuietHours {
  start: string;
  end: string;
}

/** Minutes after midnight of an `HH:MM` time. */
export function minutesOfDay(time: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`Not an HH:MM time: ${time}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** A local date and time of day (minutes since midnight). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time of an instant in `zone`. */
export function wallTime(instant: number, zone: string): WallTime {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, minutes: parts.hour! * 60 + parts.minute! };
}

/** Offset of `zone` from UTC at an instant, in ms (minute precision, as zones are today). */
function offsetAt(instant: number, zone: string): number {
  const wall = wallTime(instant, zone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day) + wall.minutes * 60_000;
  return asUtc - Math.floor(instant / 60_000) * 60_000;
}

/**
 * The instant a local date and time names in `zone`. A time skipped by a spring-forward jump
 * is moved forward by the jump (02:30 on that day in New York is 03:30 EDT); a time that
 * happens twice at a fall-back is its first occurrence. These are the usual "compatible" rules.
 */
export function instantOf(year: number, month: number, day: number, minutes: number, zone: string): Date {
  const wall = Date.UTC(year, month - 1, day) + minutes * 60_000;
  // The offset just before and just after the wall time as if it were UTC brackets any jump.
  const before = offsetAt(wall - 86_400_000 / 2, zone);
  const after = offsetAt(wall + 86_400_000 / 2, zone);
  const candidates = [wall - before, wall - after].filter((t) => wall - offsetAt(t, zone) === t);
  if (candidates.length) return new Date(Math.min(...candidates));
  // Skipped: read it with the offset from before the jump, which lands after the gap.
  return new Date(wall - before);
}

/**
 * When an automated message may go out: `null` if now is outside the quiet window, else the
 * instant the window closes (the next `end` in local time, which for a window crossing midnight
 * can be the next day). A window whose start equals its end is empty.
 */
export function quietUntil(now: Date, zone: string, quiet: QuietHours): Date | null {
  const start = minutesOfDay(quiet.start);
  const end = minutesOfDay(quiet.end);
  if (start === end) return null;
  const local = wallTime(now.getTime(), zone);
  const crossesMidnight = start > end;
  const inside = crossesMidnight ? local.minutes >= start || local.minutes < end : local.minutes >= start && local.minutes < end;
  if (!inside) return null;
  // Evening part of a window that crosses midnight: it closes tomorrow morning.
  const nextDay = crossesMidnight && local.minutes >= start;
  const date = new Date(Date.UTC(local.year, local.month - 1, local.day + (nextDay ? 1 : 0)));
  return instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), end, zone);
}

/** Parses an `HH:MM-HH:MM` window (e.g. `21:00-08:00`); `null` when it is not one. */
export function parseQuietHours(text: string): QuietHours | null {
  const match = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(text.trim());
  if (!match) return null;
  try {
    minutesOfDay(match[1]!);
    minutesOfDay(match[2]!);
  } catch {
    return null;
  }
  return { start: match[1]!, end: match[2]! };
}
