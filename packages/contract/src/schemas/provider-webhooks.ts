import { z } from 'zod';
import { MessageStatus } from './messages.js';

/**
 * What Twilio and SendGrid post to us: delivery reports, inbound SMS and email events. Field
 * names are the providers' own. Only the fields we read are declared; the providers add
 * others (and new ones over time), which are accepted and ignored.
 */

/** A Twilio message SID (`SM…`, `MM…` for MMS). */
const TwilioSid = z.string().regex(/^[A-Z]{2}[0-9a-fA-F]{32}$/, 'a Twilio SID such as SM followed by 32 hex digits');

/** Every `MessageStatus` Twilio reports on a status callback. */
export const TwilioMessageStatus = z
  .enum(['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'canceled', 'partially_delivered', 'receiving', 'received'])
  .meta({ id: 'TwilioMessageStatus' });

/** A Twilio status callback (`application/x-www-form-urlencoded`). */
export const TwilioStatusCallback = z
  .looseObject({
    MessageSid: TwilioSid,
    MessageStatus: TwilioMessageStatus,
    ErrorCode: z.string().regex(/^\d{1,6}$/).optional().describe('Twilio error code of a failed or undelivered message'),
  })
  .meta({ id: 'TwilioStatusCallback', description: 'Sent by Twilio to the StatusCallback URL of a message; other fields Twilio adds are ignored' });

/** A Twilio inbound-message webhook (`application/x-www-form-urlencoded`). */
export const TwilioInboundMessage = z
  .looseObject({
    MessageSid: TwilioSid,
    From: z.string().min(1).max(64).describe('The sender, E.164'),
    To: z.string().min(1).max(64).describe('Our number the message was sent to'),
    Body: z.string().max(1600).default('').describe('The text (absent or empty for a picture-only MMS)'),
  })
  .meta({ id: 'TwilioInboundMessage', description: "Sent by Twilio to the number's messaging webhook when someone texts it" });

/** What a status callback did. */
export const TwilioStatusCallbackResponse = z
  .object({
    received: z.literal(true),
    message_id: z.string().nullable().describe('Our message the report is about; null when no message of ours has this SID'),
    status: MessageStatus.nullable().describe('The message’s status after the report (unchanged when the report was of an earlier stage)'),
    duplicate: z.boolean().describe('The same report was received before; nothing changed'),
  })
  .meta({ id: 'TwilioStatusCallbackResponse' });

/** TwiML answered to an inbound message: empty, or one reply. */
export const TwimlResponse = z
  .string()
  .regex(/^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<Response(\/>|>[\s\S]*<\/Response>)$/)
  .meta({ id: 'TwimlResponse', description: 'TwiML (`text/xml`): `<Response/>`, or `<Response><Message>…</Message></Response>` for a reply Twilio sends back' });

/** One event of a SendGrid Event Webhook post. Custom args sent with the email come back as top-level fields. */
export const SendGridEvent = z
  .looseObject({
    event: z.string().min(1).max(64).describe('processed, deferred, delivered, bounce, dropped, spamreport, unsubscribe, group_unsubscribe, open, click, …'),
    sg_event_id: z.string().min(1).max(200).describe('Unique per event: a repeated post is recognised by it'),
    sg_message_id: z.string().max(300).optional(),
    timestamp: z.number().int().min(0).max(1e11).describe('Unix seconds when the event happened'),
    careos_message_id: z.string().max(64).optional().describe('Our message id, sent as a custom arg of each personalization'),
    type: z.string().max(64).optional().describe('For a bounce: `bounce` or `blocked`'),
  })
  .meta({ id: 'SendGridEvent' });

/** The body of a SendGrid Event Webhook post: a batch of events. */
export const SendGridEventBatch = z.array(SendGridEvent).min(1).max(10_000).meta({ id: 'SendGridEventBatch' });

/** What a SendGrid event post did. */
export const SendGridEventsResponse = z
  .object({
    received: z.number().int().min(0).describe('Events stored now'),
    duplicates: z.number().int().min(0).describe('Events received before (same sg_event_id), skipped'),
    unmatched: z.number().int().min(0).describe('Events stored that name no message of ours'),
  })
  .meta({ id: 'SendGridEventsResponse' });
