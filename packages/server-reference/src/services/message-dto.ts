import { maskPhone, MessageStatus, type Message } from '@careos/contract';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { messages } from '../db/schema/index.js';
import type { MessageContent } from './lead-write.js';

type MessageRow = typeof messages.$inferSelect;

/** A stored message as the API shows it: its text decrypted, the contact's number masked. */
export function messageDto(row: MessageRow, cipher: FieldCipher): Message {
  const content = cipher.openJson<MessageContent>(messages.contentEnc, row.contentEnc!);
  const status = MessageStatus.safeParse(row.status);
  return {
    id: row.id,
    channel: row.channel === 'email' ? 'email' : 'sms',
    direction: row.direction === 'inbound' ? 'inbound' : 'outbound',
    kind: row.kind,
    automated: row.automated,
    to_masked: maskPhone(content.to),
    body: content.body,
    language: row.language,
    // Every status the outbox writes is in the enum; anything else would be a bug shown as queued.
    status: status.success ? status.data : 'queued',
    cancel_reason: row.cancelReason === 'staff_reply' || row.cancelReason === 'automation_paused' ? row.cancelReason : null,
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
