import type { MessageStatus } from '@careos/contract';

// Whether a reported status moves a message forward is the contract's `isStatusAdvance`.

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

/** Why an email address is suppressed (recorded on `email_suppressions.reason`). */
export type SuppressionReason = 'bounce' | 'spamreport' | 'unsubscribe' | 'dropped' | 'manual';

/** SendGrid events after which the address gets no more email from us, with the reason recorded. */
export const SUPPRESSING_EVENTS: ReadonlyMap<string, SuppressionReason> = new Map([
  ['bounce', 'bounce'],
  ['spamreport', 'spamreport'],
  ['unsubscribe', 'unsubscribe'],
  ['group_unsubscribe', 'unsubscribe'],
  ['dropped', 'dropped'],
]);
