import { readInteger } from './read-integer.js';

/** How an instance stops and how instances sharing a database watch each other. */
export interface LifecycleConfig {
  /**
   * Longest a graceful stop (SIGTERM, SIGINT, `close()`) may take, in ms
   * (`CAREOS_SHUTDOWN_GRACE_MS`, default 15000). Connections still open after two thirds of it
   * are closed; past all of it a signalled process exits with status 1.
   */
  shutdownGraceMs: number;
  /**
   * How often an instance records that it is alive and renews its leases, in ms
   * (`CAREOS_HEARTBEAT_INTERVAL_MS`, default 2000). An instance silent for
   * `MISSED_HEARTBEATS` (4) intervals is dead, and a lease lasts as long.
   */
  heartbeatIntervalMs: number;
}

/** Heartbeats an instance may miss before others treat it as dead; also the lease length in intervals. */
export const MISSED_HEARTBEATS = 4;

/** Reads the {@link LifecycleConfig} settings; problems are appended to `problems`. */
export function readLifecycleConfig(read: (name: string) => string | undefined, problems: string[]): LifecycleConfig {
  return {
    shutdownGraceMs: readInteger(read, 'CAREOS_SHUTDOWN_GRACE_MS', { fallback: 15_000, min: 1000, max: 600_000, problem: 'CAREOS_SHUTDOWN_GRACE_MS must be a whole number of milliseconds from 1000 to 600000' }, problems),
    heartbeatIntervalMs: readInteger(read, 'CAREOS_HEARTBEAT_INTERVAL_MS', { fallback: 2000, min: 100, max: 60_000, problem: 'CAREOS_HEARTBEAT_INTERVAL_MS must be a whole number of milliseconds from 100 to 60000' }, problems),
  };
}

/** How long a lease lasts, and how long an instance may stay silent before it counts as dead. */
export function leaseMs(config: LifecycleConfig): number {
  return config.heartbeatIntervalMs * MISSED_HEARTBEATS;
}
