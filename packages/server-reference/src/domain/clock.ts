/**
 * The source of "now" for everything time-dependent (due dates, token expiry, leases), so
 * tests can move time instead of waiting for it.
 */
export interface Clock {
  /** The current time. */
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };
