import { z } from 'zod';
import { ListQuery, NextCursor, Timestamp, prefixedId } from '../common.js';

/** Delivery state of an outbound message. */
export const MessageStatus = z.enum(['queued', 'sent', 'failed']).meta({ id: 'MessageStatus' });

/** An outbound SMS or email as the operations side sees it; the number is masked. */
export const OutboundMessage = z
  .object({
    id: prefixedId('msg'),
    channel: z.enum(['sms', 'email']),
    kind: z.string().describe("Why it was sent, e.g. 'welcome'"),
    to_masked: z.string().describe('Recipient with the middle digits hidden'),
    body: z.string(),
    language: z.string(),
    status: MessageStatus,
    provider: z.string(),
    provider_message_id: z.string().nullable(),
    error: z.string().nullable(),
    lead_id: prefixedId('lead').nullable(),
    user_id: prefixedId('user').nullable(),
    created_at: Timestamp,
    sent_at: Timestamp.nullable(),
  })
  .meta({ id: 'OutboundMessage' });

/** A parsed outbound message. */
export type OutboundMessage = z.infer<typeof OutboundMessage>;

/** Query of `GET /admin/messages`. */
export const MessageListQuery = ListQuery.extend({
  lead_id: z.string().max(128).optional(),
  user_id: z.string().max(128).optional(),
});

/** A page of outbound messages. */
export const MessageList = z
  .object({ messages: z.array(OutboundMessage), next_cursor: NextCursor })
  .meta({ id: 'MessageList' });
