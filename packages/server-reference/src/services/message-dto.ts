import { maskPhone, MessageStatus, type Message } from '@careos/contract';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { messages } from '../db/schema/index.js';
import type { SealedContent } from './outbox-sql.js';

type MessageRow = typeof messages.$inferSelect;

/** Masks an email for display: `ada.lovelace@example.com` → `a•••@example.com`. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '•'.repeat(address.length);
  return `${address[0]}•••${address.slice(at)}`;
}

/** A stored message as the API shows it: its text decrypted, the contact's number (or address) masked. */
export function messageDto(row: MessageRow, cipher: FieldCipher): Message {
  const content = cipher.openJson<SealedContent>(messages.contentEnc, row.contentEnc!);
  const status = MessageStatus.safeParse(row.status);
  return {
    id: row.id,
    channel: row.channel === 'email' ? 'email' : 'sms',
    direction: row.direction === 'inbound' ? 'inbound' : 'outbound',
    kind: row.kind,
    automated: row.automated,
    to_masked: row.channel === 'email' ? maskEmail(content.to) : maskPhone(content.to),
    body: content.body ?? '',
    language: row.language,
    // Every status the outbox writes is in the enum; anything else would be a bug shown as queued.
    status: status.success ? status.data : 'queued',
    cancel_reason: cancelReason(row.cancelReason),
    provider: row.provider,
    provider_message_id: row.providerMessageId,
    error: row.error,
    lead_id: row.leadId,
    user_id: row.userId,
    author_staff_id: row.authorStaffId,
    created_at: row.createdAt.toISOString(),
    sent_at: row.sentAt?.toISOString() ?? null,
  };
}

const CANCEL_REASONS = new Set(['staff_reply', 'automation_paused', 'opted_out', 'suppressed']);

/** The stored cancel reason, if it is one the API knows. */
export function cancelReason(value: string | null): Message['cancel_reason'] {
  return value !== null && CANCEL_REASONS.has(value) ? (value as Message['cancel_reason']) : null;
}
