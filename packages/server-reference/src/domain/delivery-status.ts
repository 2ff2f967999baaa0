import type { MessageStatus } from '@careos/contract';

/**
 * Where a message stands as the providers report it, in order. Reports arrive out of order
 * (Twilio posts `sent` and `delivered` from different systems; SendGrid batches events), so a
 * report only moves a message forward: `delivered` then a late `sent` stays `delivered`. The
 * outcomes (`delivered`, `undelivered`, `failed`) share the last rank: the first one reported
 * stands.
 */
const RANK: Partial<Record<MessageStatus, number>> = { queued: 0, sending: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3 };

/** Whether a message at `current` may move to `next` (never for `cancelled`, `received` or an unknown status). */
export function advancesStatus(current: string, next: MessageStatus): boolean {
  const from = RANK[current as MessageStatus];
  const to = RANK[next];
  return from !== undefined && to !== undefined && to > from;
}

/** Our status for a Twilio `MessageStatus`; `null` for one that says nothing about delivery (`read`, `received`…). */
export function statusOfTwilio(status: string): MessageStatus | null {
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
      return 'sending';
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}

/** Our status for a SendGrid event; `null` for engagement events (open, click, unsubscribe…). */
export function statusOfSendGrid(event: string): MessageStatus | null {
  switch (event) {
    case 'processed':
    case 'deferred':
      return 'sent';
    case 'delivered':
      return 'delivered';
    case 'bounce':
    case 'blocked':
      return 'undelivered';
    case 'dropped':
      return 'failed';
    default:
      return null;
  }
}

/** SendGrid events after which the address gets no more email from us. */
export const SUPPRESSING_EVENTS: ReadonlySet<string> = new Set(['bounce', 'spamreport', 'unsubscribe', 'group_unsubscribe', 'dropped']);
