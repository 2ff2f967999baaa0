import { z } from 'zod';
import { ListQuery, NextCursor, QueryBoolean, Timestamp, prefixedId } from '../common.js';
import { Contact, ContactId } from './contacts.js';

/**
 * Where a message is. Outbound: `queued` → `sending` → `sent` or `failed`, or `cancelled`
 * instead of being sent (an automated message to a contact whose automation is paused); after
 * `sent`, the provider's delivery report moves it to `delivered` or `undelivered` (or `failed`).
 * Status only moves forward: a late report of an earlier stage changes nothing.
 * Inbound: `received`.
 */
export const MessageStatus = z.enum(['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled', 'received']).meta({ id: 'MessageStatus' });
/** A message's status. */
export type MessageStatus = z.infer<typeof MessageStatus>;

/** `outbound` (to the contact) or `inbound` (from the contact). */
export const MessageDirection = z.enum(['outbound', 'inbound']).meta({ id: 'MessageDirection' });

/** Why a message was cancelled rather than sent. */
export const CancelReason = z
  .enum(['staff_reply', 'automation_paused'])
  .meta({ id: 'CancelReason', description: '`staff_reply`: queued when a staff reply paused automation; `automation_paused`: due while automation was paused' });

/** One message of a conversation with a contact, either direction; the number is masked. */
export const Message = z
  .object({
    id: prefixedId('msg'),
    channel: z.enum(['sms', 'email']),
    direction: MessageDirection,
    kind: z.string().describe("Why it was sent: 'welcome', 'booking_confirmation', … for automations, 'reply' for staff replies; 'inbound' for what the contact wrote"),
    automated: z.boolean().describe('Sent by an automation, not a person: held back while the contact’s automation is paused'),
    to_masked: z.string().describe('The contact’s number (recipient of an outbound message, sender of an inbound one) with the middle digits hidden'),
    body: z.string(),
    language: z.string(),
    status: MessageStatus,
    cancel_reason: CancelReason.nullable(),
    provider: z.string().describe("SMS provider of an outbound message; 'recorded' for an inbound one"),
    provider_message_id: z.string().nullable(),
    error: z.string().nullable(),
    lead_id: prefixedId('lead').nullable(),
    user_id: ContactId.nullable().describe('The contact'),
    author_staff_id: z.string().nullable().describe('Staff member who wrote the reply or recorded the inbound message'),
    created_at: Timestamp,
    sent_at: Timestamp.nullable(),
  })
  .meta({ id: 'Message' });

/** A parsed message. */
export type Message = z.infer<typeof Message>;
/** @deprecated The same as {@link Message} (messages go both ways now). */
export const OutboundMessage = Message;
/** @deprecated Use {@link Message}. */
export type OutboundMessage = Message;

/** Query of `GET /admin/messages`. */
export const MessageListQuery = ListQuery.extend({
  lead_id: z.string().max(128).optional(),
  user_id: z.string().max(128).optional(),
});

/** Filters of a conversation (`GET /messages/{contact_id}`); they combine with AND. */
export const ConversationQuery = ListQuery.extend({
  direction: MessageDirection.optional(),
  status: MessageStatus.optional(),
  kind: z.string().min(1).max(64).optional().describe("e.g. 'reply', 'welcome', 'inbound'"),
  automated: QueryBoolean.optional().describe('Only automated (true) or only personal (false) messages'),
});

/** Query of `GET /messages`: a conversation's filters, across contacts or for one. */
export const ConversationListQuery = ConversationQuery.extend({
  contact_id: z.string().max(128).optional().describe('Only this contact’s messages'),
});

/** A page of messages, newest first. */
export const MessageList = z
  .object({ messages: z.array(Message), next_cursor: NextCursor })
  .meta({ id: 'MessageList' });

/** Longest message text: ten SMS segments. */
export const MAX_MESSAGE_LENGTH = 1600;

/**
 * Body of `POST /messages`: a staff reply sent to the contact (`outbound`, the default), or a
 * message the contact sent that staff record (`inbound`).
 */
export const CreateMessageRequest = z
  .object({
    contact_id: ContactId.max(128),
    body: z.string().trim().min(1).max(MAX_MESSAGE_LENGTH).describe('The text (stored encrypted, never logged)'),
    direction: MessageDirection.default('outbound').describe('`outbound`: a staff reply, sent by SMS, which pauses the contact’s automation; `inbound`: record what the contact wrote'),
  })
  .meta({
    id: 'CreateMessageRequest',
    examples: [
      { contact_id: 'user_01jd8x2k4m5n6p7q8r9s0t1v2w', body: 'Hi Ada, this is Sam from CareOS. Does Tuesday at 10 work for you?' },
      { contact_id: 'user_01jd8x2k4m5n6p7q8r9s0t1v2w', direction: 'inbound', body: 'Tuesday is fine, thanks!' },
    ],
  });

/** Answer of `POST /messages`. */
export const CreateMessageResponse = z
  .object({
    message: Message,
    automation_paused: z.boolean().describe('Whether the contact’s automation is paused now (a reply always pauses it)'),
    cancelled_message_ids: z.array(prefixedId('msg')).describe('Automated messages still queued for the contact that the reply cancelled'),
  })
  .meta({ id: 'CreateMessageResponse' });

/** Answer of `POST /contacts/{id}/resume-automation`. */
export const ResumeAutomationResponse = z
  .object({
    contact: Contact,
    resumed: z.boolean().describe('False when the contact’s automation was not paused'),
  })
  .meta({ id: 'ResumeAutomationResponse' });
