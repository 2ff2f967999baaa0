import type { CareOSError } from './errors.js';

/** Reported after every attempt of a call, successful or not. */
export interface AttemptInfo {
  /** Route id from the contract, e.g. `ingestLead`. */
  routeId: string;
  /** HTTP method. */
  method: string;
  /** Request path without the query string, e.g. `/api/leads/lead_123`. */
  path: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The `Idempotency-Key` sent (POST only); the same on every attempt of a call. */
  idempotencyKey: string | undefined;
  /** Time the attempt took, ms. */
  durationMs: number;
  /** HTTP status, when a response arrived. */
  status: number | undefined;
  /** `X-Request-Id` of the response, when one arrived. */
  requestId: string | undefined;
  /** Why the attempt failed; `undefined` on success. */
  error: CareOSError | undefined;
  /** Whether another attempt follows. */
  willRetry: boolean;
  /** Wait before the next attempt, ms, when `willRetry`. */
  retryDelayMs: number | undefined;
}

/** Why a call failed for good. */
export type GiveUpReason = 'retries_exhausted' | 'not_retryable' | 'deadline_exceeded';

/**
 * Reported once when a call fails for good: after its last attempt, or when its deadline
 * passes. Not reported for a caller's abort, nor for client-side validation or
 * configuration errors (those send nothing).
 */
export interface GiveUpInfo {
  /** Route id from the contract. */
  routeId: string;
  /** HTTP method. */
  method: string;
  /** Request path without the query string. */
  path: string;
  /** Attempts sent. */
  attempts: number;
  /** The `Idempotency-Key` sent (POST only). */
  idempotencyKey: string | undefined;
  /** Time since the call started, ms. */
  elapsedMs: number;
  /** The error the call rejects with. */
  error: CareOSError;
  /** `retries_exhausted`: every retry failed (the seed's "notify support after 3 failed retries"). */
  reason: GiveUpReason;
}

/**
 * Observers of the retry loop. They run synchronously; an exception thrown by a hook is
 * logged and otherwise ignored.
 */
export interface Hooks {
  /** After each attempt. */
  onAttempt?(info: AttemptInfo): void;
  /** When a call fails for good. */
  onGiveUp?(info: GiveUpInfo): void;
}
