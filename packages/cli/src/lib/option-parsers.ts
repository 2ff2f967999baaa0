import { InvalidArgumentError } from 'commander';

/**
 * A point in time for a query: an ISO 8601 time, or `YYYY-MM-DD` meaning the start of that day
 * (UTC), which is what "since" and "last session on" mean when a day is all one remembers.
 */
export function startOfDayOrTime(value: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00.000Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('must be a date (YYYY-MM-DD) or an ISO 8601 time');
  return date.toISOString();
}

/** An option parser for an integer from `min` to `max`. */
export function integerBetween(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return n;
  };
}

/** An option parser for a number of seconds above 0 and at most `max` (fractions allowed: `0.5`). */
export function secondsUpTo(max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0) || n > max) throw new InvalidArgumentError(`must be a number of seconds above 0 and at most ${max}`);
    return n;
  };
}

/** An option parser for a signed integer (`-3`, `+5`, `5`) from `min` to `max`, 0 refused. */
export function nonZeroIntegerBetween(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isInteger(n) || n === 0 || n < min || n > max) {
      throw new InvalidArgumentError(`must be a non-zero integer from ${min} to ${max}, e.g. -1 or +10`);
    }
    return n;
  };
}

/** An option parser that accepts one of `choices`, in any case, and returns it as listed. */
export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    const hit = choices.find((choice) => choice.toLowerCase() === value.trim().toLowerCase());
    if (hit === undefined) throw new InvalidArgumentError(`must be one of ${choices.join(', ')}`);
    return hit;
  };
}

/** Collects a repeatable option's values in order. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
