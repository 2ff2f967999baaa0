import rrule from 'rrule';
import { instantOf, wallTime } from '../../domain/quiet-hours.js';

const { RRule } = rrule;

/**
 * Recurring events: a series' RFC 5545 lines (`RRULE`, `EXDATE`, `RDATE`) expanded into the
 * starts of its occurrences. A rule counts in the event's wall-clock time (a weekly 10:00 in New
 * York stays 10:00 across a DST change), so expansion runs on "floating" dates — the wall time
 * written as if it were UTC, which is how `rrule` computes without a zone — and each occurrence
 * is then read as an instant in the event's IANA zone. All-day events float in UTC.
 */

/** Most occurrences looked at when finding where a bounded series ends. */
const MAX_OCCURRENCES = 5000;

/** A series to expand. */
export interface Series {
  start: Date;
  /** Occurrence length, ms. */
  durationMs: number;
  timeZone: string;
  allDay: boolean;
  lines: string[];
}

/** An instant's wall time in `zone`, as a floating date. */
function floating(at: Date, zone: string): Date {
  if (zone === 'UTC') return at;
  const wall = wallTime(at.getTime(), zone);
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day) + wall.minutes * 60_000 + at.getUTCSeconds() * 1000);
}

/** A floating date back to the instant it names in `zone`. */
function fromFloating(at: Date, zone: string): Date {
  if (zone === 'UTC') return at;
  return new Date(instantOf(at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate(), at.getUTCHours() * 60 + at.getUTCMinutes(), zone).getTime() + at.getUTCSeconds() * 1000);
}

/** `20261208T100000Z`, `20261208T100000` (in `zone`) or `20261208` as an instant. */
function parseValue(value: string, zone: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', z] = m;
  const utc = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s));
  return z ? utc : fromFloating(utc, zone);
}

/** The instants of an `EXDATE`/`RDATE` line (its `TZID` parameter, else the event's zone). */
function dateList(line: string, zone: string): Date[] {
  const colon = line.indexOf(':');
  const params = line.slice(0, colon);
  const tzid = /;TZID=([^;:]+)/i.exec(params)?.[1] ?? zone;
  return line
    .slice(colon + 1)
    .split(',')
    .map((value) => parseValue(value, tzid))
    .filter((d): d is Date => d !== null);
}

interface Parsed {
  rules: InstanceType<typeof RRule>[];
  exdates: Set<number>;
  rdates: Date[];
  /** Whether some rule has neither COUNT nor UNTIL. */
  endless: boolean;
}

function parse(series: Series): Parsed {
  const zone = series.allDay ? 'UTC' : series.timeZone;
  const dtstart = floating(series.start, zone);
  const parsed: Parsed = { rules: [], exdates: new Set(), rdates: [], endless: false };
  for (const line of series.lines) {
    const upper = line.toUpperCase();
    if (upper.startsWith('RRULE:')) {
      const options = RRule.parseString(line.slice(6));
      // UNTIL in UTC (…Z) names an instant: express it in the event's floating time too.
      if (options.until && /UNTIL=\d{8}T\d{6}Z/i.test(line)) options.until = floating(options.until, zone);
      if (!options.until && !options.count) parsed.endless = true;
      parsed.rules.push(new RRule({ ...options, dtstart }));
    } else if (upper.startsWith('EXDATE')) {
      for (const d of dateList(line, zone)) parsed.exdates.add(d.getTime());
    } else if (upper.startsWith('RDATE')) {
      parsed.rdates.push(...dateList(line, zone));
    }
  }
  return parsed;
}

/**
 * Starts of the occurrences of `series` that overlap `[from, to)`, minus its `EXDATE`s and the
 * `skip` starts (occurrences replaced or cancelled by exceptions), in order.
 */
export function occurrencesBetween(series: Series, from: Date, to: Date, skip: ReadonlySet<number> = new Set()): Date[] {
  const zone = series.allDay ? 'UTC' : series.timeZone;
  const { rules, exdates, rdates } = parse(series);
  // A day of margin each side: floating times differ from instants by at most a zone offset.
  const lo = floating(new Date(from.getTime() - series.durationMs - 86_400_000), zone);
  const hi = floating(new Date(to.getTime() + 86_400_000), zone);
  const starts = new Map<number, Date>();
  for (const rule of rules) for (const f of rule.between(lo, hi, true)) starts.set(fromFloating(f, zone).getTime(), fromFloating(f, zone));
  for (const d of rdates) starts.set(d.getTime(), d);
  if (!rules.length) starts.set(series.start.getTime(), series.start);
  return [...starts.values()]
    .filter((s) => !exdates.has(s.getTime()) && !skip.has(s.getTime()))
    .filter((s) => s.getTime() < to.getTime() && s.getTime() + series.durationMs > from.getTime())
    .sort((a, b) => a.getTime() - b.getTime());
}

/** When the series' last occurrence ends, or `null` when it never does (a rule without COUNT or UNTIL). */
export function seriesEnd(series: Series): Date | null {
  const zone = series.allDay ? 'UTC' : series.timeZone;
  const { rules, rdates, endless } = parse(series);
  if (endless) return null;
  let last = series.start.getTime();
  for (const rule of rules) {
    const all = rule.all((_, i) => i < MAX_OCCURRENCES);
    if (all.length >= MAX_OCCURRENCES) return null;
    const final = all.at(-1);
    if (final) last = Math.max(last, fromFloating(final, zone).getTime());
  }
  for (const d of rdates) last = Math.max(last, d.getTime());
  return new Date(last + series.durationMs);
}
