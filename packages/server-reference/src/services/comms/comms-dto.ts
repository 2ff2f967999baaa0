import type { Communication } from '@careos/contract';
import type { messages } from '../../db/schema/index.js';
import { cancelReason } from '../message-dto.js';

type MessageRow = typeof messages.$inferSelect;

const STATUSES = new Set<Communication['status']>(['queued', 'deferred', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled', 'received']);

/** A stored message as the communications log shows it: ids and status only, never its text or recipient. */
export function communicationDto(row: MessageRow): Communication {
  const encoding = row.encoding === 'GSM-7' || row.encoding === 'UCS-2' ? row.encoding : null;
  return {
    id: row.id,
    type: row.channel === 'email' ? 'email' : 'sms',
    direction: row.direction === 'inbound' ? 'inbound' : 'outbound',
    kind: row.kind,
    client_id: row.userId,
    status: STATUSES.has(row.status as Communication['status']) ? (row.status as Communication['status']) : 'queued',
    cancel_reason: cancelReason(row.cancelReason),
    contains_phi: row.containsPhi,
    generic_notice: row.genericNotice,
    template_id: row.templateId,
    provider: row.provider,
    provider_message_id: row.providerMessageId,
    error: row.error,
    encoding,
    segments: row.segments,
    batch_id: row.batchId,
    created_at: row.createdAt.toISOString(),
    sent_at: row.sentAt?.toISOString() ?? null,
    delivered_at: row.deliveredAt?.toISOString() ?? null,
    status_updated_at: row.statusUpdatedAt?.toISOString() ?? null,
  };
}
