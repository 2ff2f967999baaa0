import type { SmsSegmentInfo } from '@careos/contract';
import { messages } from '../db/schema/index.js';
import { genericNotice, kindCarriesPhi } from '../messages/comms-templates.js';
import { newId } from '../domain/ids.js';
import type { ServiceContext } from './context.js';
import type { NewOutbound, QueuedMessage } from './outbox-types.js';
import type { OutboxRow, SealedContent } from './outbox-sql.js';

/** What {@link prepareOutbound} needs besides the message. */
export interface PrepareOptions {
  ctx: ServiceContext;
  /** Name stored with an SMS (the SMS provider's). */
  smsProvider: string;
  leaseEndsAt: number;
  now: Date;
  /** `opted_out` / `suppressed` when the recipient may not be written to: recorded cancelled. */
  cancelReason: string | null;
  /** The recipient's blind index (handed on to the dispatcher's claim). */
  toBidx: string;
  /** An SMS body's encoding and segments; the caller computes them once per distinct body. */
  sizeOf: (body: string) => SmsSegmentInfo;
}

/**
 * One outbound message as its outbox row and as the dispatcher will hold it. Applies the BAA
 * gate to every message, whatever path queued it: one carrying PHI (by the caller's word, or
 * its kind's template) on a channel without a BAA is stored and sent as the generic notice.
 * Computes an SMS's encoding and segments; seals the content.
 */
export function prepareOutbound(item: NewOutbound, options: PrepareOptions): { row: OutboxRow; queued: QueuedMessage } {
  const { ctx } = options;
  const { businessName } = ctx.config.comms;
  const email = item.channel === 'email';
  const containsPhi = item.containsPhi ?? kindCarriesPhi(item.kind);
  const baa = email ? ctx.config.comms.emailHipaaEnabled : ctx.config.comms.smsHipaaEnabled;
  const notice = item.genericNotice === true || (containsPhi && !baa);
  const body = notice ? genericNotice(businessName) : item.body;
  const subject = email ? (notice ? `New secure message from ${businessName}` : item.subject) : null;
  const dynamicData = email && !notice ? (item.dynamicData ?? null) : null;
  const size = email || body === null ? null : options.sizeOf(body);
  const content: SealedContent = email ? { to: item.to, body, subject, dynamic_data: dynamicData } : { to: item.to, body };
  const row: OutboxRow = {
    id: newId('msg', options.now),
    channel: email ? 'email' : 'sms',
    kind: item.kind,
    automated: item.automated ?? true,
    author_staff_id: item.authorStaffId ?? null,
    content_enc: ctx.phi.cipher.sealJson(messages.contentEnc, content),
    language: item.language,
    cancel_reason: options.cancelReason,
    provider: email ? ctx.providers.email.name : options.smsProvider,
    lead_id: item.leadId ?? null,
    user_id: item.userId ?? null,
    contains_phi: containsPhi,
    generic_notice: notice,
    template_id: notice ? 'secure_message_notice' : (item.templateId ?? null),
    encoding: size?.encoding ?? null,
    segments: size?.segments ?? null,
    batch_id: item.batchId ?? null,
  };
  const queued: QueuedMessage = {
    id: row.id,
    channel: row.channel,
    to: item.to,
    toBidx: options.toBidx,
    body,
    subject,
    templateId: email && body === null ? (item.templateId ?? null) : null,
    dynamicData,
    batchId: row.batch_id,
    leadId: row.lead_id,
    userId: row.user_id,
    leaseEndsAt: options.leaseEndsAt,
    status: 'queued',
  };
  return { row, queued };
}
