/**
 * Where an outbound message is, and the order statuses may follow. Provider callbacks arrive
 * late and out of order (Twilio may report `delivered` before a retried `sent`), so a status
 * only ever moves to one of a higher rank: `delivered` then a late `sent` stays `delivered`.
 */

/** Every status a message can have, outbound and inbound. */
export const COMMS_STATUSES = ['queued', 'deferred', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled', 'received'] as const;

/** One of {@link COMMS_STATUSES}. */
export type CommsStatus = (typeof COMMS_STATUSES)[number];

/**
 * Rank of each status. Terminal outcomes share the top rank, so neither overrides the other:
 * a `failed` never turns into `delivered` because a stray callback said so, and the reverse.
 * `deferred` (held for a quiet-hours window) sits beside `queued`.
 */
export const COMMS_STATUS_RANK: Readonly<Record<CommsStatus, number>> = {
  queued: 0,
  deferred: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  cancelled: 3,
  received: 3,
};

/** The rank of a status; an unknown status ranks lowest, so it can never override a known one. */
export function commsStatusRank(status: string): number {
  return (COMMS_STATUS_RANK as Record<string, number>)[status] ?? -1;
}

/** Whether `next` may replace `current`: only a strictly higher rank moves a message forward. */
export function isStatusAdvance(current: string, next: string): boolean {
  return commsStatusRank(next) > commsStatusRank(current);
}

/**
 * The status a message ends with after an event reporting `next`: `next` when it moves the
 * message forward, otherwise `current` unchanged.
 *
 * @example
 * nextCommsStatus('delivered', 'sent'); // 'delivered'
 * nextCommsStatus('sent', 'delivered'); // 'delivered'
 */
export function nextCommsStatus<S extends string>(current: S, next: S): S {
  return isStatusAdvance(current, next) ? next : current;
}
