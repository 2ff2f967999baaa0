import { z } from 'zod';
import { ListQuery, NextCursor, Timestamp, prefixedId } from '../common.js';
import { CancelReason, MessageStatus } from './messages.js';

/** Most recipients one `POST /comms/bulk` takes. */
export const MAX_BULK_RECIPIENTS = 5000;
/** Longest email body accepted (plain text). */
export const MAX_EMAIL_BODY_LENGTH = 100_000;

/** `sms` or `email`: how a communication travels. */
export const CommsType = z.enum(['sms', 'email']).meta({ id: 'CommsType' });
/** A communication's channel. */
export type CommsType = z.infer<typeof CommsType>;

/** What to do when a PHI message would go through a provider without a signed BAA. */
export const OnBaaMissing = z
  .enum(['refuse', 'generic_notice'])
  .meta({
    id: 'OnBaaMissing',
    description:
      '`refuse` (default): 422 `BAA_REQUIRED`, nothing queued; `generic_notice`: send "You have a new secure message from <business>. Please log in to view it." instead of the body',
  });

/** Template data: flat JSON values a provider template fills in. */
const DynamicData = z.record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).describe('Values the template fills in (stored encrypted)');

const ClientId = z.string().min(1).max(128).describe('The contact (`user_…`) to write to');
const Body = z.string().trim().min(1).max(MAX_EMAIL_BODY_LENGTH).describe('The text (stored encrypted, never logged)');
const Subject = z.string().trim().min(1).max(998).describe('Email subject (stored encrypted)');
const TemplateId = z.string().trim().min(1).max(128).describe('Template id: a server template (e.g. `booking_reminder`) or a SendGrid dynamic template (`d-…`)');
const ContainsPhi = z.boolean().optional().describe('The message carries protected health information: it may only go through a provider with a signed BAA');

/**
 * Body of `POST /comms`: the seed's `{ client_id, type, subject?, body }`, or the template form
 * `{ client_id, type: 'email', template_id, dynamic_data }` (the seed's `sendTemplateEmail`).
 */
export const SendCommsRequest = z
  .object({
    client_id: ClientId,
    type: CommsType,
    subject: Subject.optional(),
    body: Body.optional(),
    template_id: TemplateId.optional(),
    dynamic_data: DynamicData.optional(),
    contains_phi: ContainsPhi,
    on_baa_missing: OnBaaMissing.optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.body === undefined) === (value.template_id === undefined)) ctx.addIssue({ code: 'custom', path: ['body'], message: 'Give either body or template_id' });
    if (value.type === 'sms' && value.subject !== undefined) ctx.addIssue({ code: 'custom', path: ['subject'], message: 'An SMS has no subject' });
    if (value.dynamic_data !== undefined && value.template_id === undefined) ctx.addIssue({ code: 'custom', path: ['dynamic_data'], message: 'dynamic_data goes with template_id' });
  })
  .meta({
    id: 'SendCommsRequest',
    examples: [
      { client_id: 'user_01jd8x2k4m5n6p7q8r9s0t1v2w', type: 'sms', body: 'Hi Ada, please call us back when you have a minute.' },
      { client_id: 'user_01jd8x2k4m5n6p7q8r9s0t1v2w', type: 'email', subject: 'Your forms', body: 'Hi Ada, your intake forms are ready in the portal.' },
      { client_id: 'user_01jd8x2k4m5n6p7q8r9s0t1v2w', type: 'email', template_id: 'd-13b8f94fbcae4ec6b75a0a2c5d0c1a3e', dynamic_data: { first_name: 'Ada' } },
    ],
  });
/** Parsed `POST /comms` body. */
export type SendCommsRequest = z.infer<typeof SendCommsRequest>;

/** SMS size as it will be billed: encoding and segments (see `smsSegments`). */
export const SmsSize = z
  .object({ encoding: z.enum(['GSM-7', 'UCS-2']), segments: z.number().int().min(1) })
  .meta({ id: 'SmsSize' });

/** One communication (an SMS or email to or from a client), as the log shows it: no text, no address. */
export const Communication = z
  .object({
    id: prefixedId('msg'),
    type: CommsType,
    direction: z.enum(['outbound', 'inbound']),
    kind: z.string().describe("Why it was sent: 'comms' for a staff send, 'welcome', 'booking_reminder', … for automations"),
    client_id: z.string().nullable(),
    status: MessageStatus,
    cancel_reason: CancelReason.nullable(),
    contains_phi: z.boolean(),
    generic_notice: z.boolean().describe('The body was replaced by the generic secure-message notice (PHI without a BAA)'),
    template_id: z.string().nullable(),
    provider: z.string(),
    provider_message_id: z.string().nullable().describe('Twilio `SM…` sid or SendGrid message id, once the provider accepted it'),
    error: z.string().nullable(),
    encoding: z.enum(['GSM-7', 'UCS-2']).nullable().describe('SMS only'),
    segments: z.number().int().nullable().describe('SMS only'),
    batch_id: z.string().nullable().describe('Shared by the messages of one bulk send'),
    created_at: Timestamp,
    sent_at: Timestamp.nullable(),
    delivered_at: Timestamp.nullable(),
    status_updated_at: Timestamp.nullable(),
  })
  .meta({ id: 'Communication' });
/** A parsed communication. */
export type Communication = z.infer<typeof Communication>;

/** Answer of `POST /comms`: the queued communication, plus `encoding` and `segments` for an SMS. */
export const SendCommsResponse = z
  .object({
    ok: z.literal(true),
    id: prefixedId('msg'),
    status: MessageStatus,
    encoding: z.enum(['GSM-7', 'UCS-2']).optional(),
    segments: z.number().int().min(1).optional(),
    generic_notice: z.boolean(),
    communication: Communication,
  })
  .meta({ id: 'SendCommsResponse' });

/** One recipient of a bulk send. */
export const BulkRecipient = z.object({ client_id: ClientId, dynamic_data: DynamicData.optional() }).meta({ id: 'BulkRecipient' });

/** Body of `POST /comms/bulk` (the seed's `sendBulkSMS` / `sendBulkEmails`): one content, many clients. */
export const SendBulkCommsRequest = z
  .object({
    type: CommsType,
    subject: Subject.optional(),
    body: Body.optional(),
    template_id: TemplateId.optional(),
    contains_phi: ContainsPhi,
    on_baa_missing: OnBaaMissing.optional(),
    recipients: z.array(BulkRecipient).min(1).max(MAX_BULK_RECIPIENTS),
  })
  .superRefine((value, ctx) => {
    if ((value.body === undefined) === (value.template_id === undefined)) ctx.addIssue({ code: 'custom', path: ['body'], message: 'Give either body or template_id' });
    if (value.type === 'sms' && value.subject !== undefined) ctx.addIssue({ code: 'custom', path: ['subject'], message: 'An SMS has no subject' });
  })
  .meta({
    id: 'SendBulkCommsRequest',
    examples: [{ type: 'sms', body: 'Our office is closed on Monday.', recipients: [{ client_id: 'user_01jd8x2k4m5n6p7q8r9s0t1v2w' }] }],
  });
/** Parsed `POST /comms/bulk` body. */
export type SendBulkCommsRequest = z.infer<typeof SendBulkCommsRequest>;

/** What happened to one recipient of a bulk send. */
export const BulkResultStatus = z.enum(['queued', 'opted_out', 'invalid', 'suppressed', 'failed']).meta({ id: 'BulkResultStatus' });

/** One recipient's result, in the order given. */
export const BulkResult = z
  .object({
    client_id: z.string(),
    status: BulkResultStatus,
    id: prefixedId('msg').nullable().describe('The queued message'),
    code: z.string().nullable().describe('Error code when not queued, e.g. `OPTED_OUT`, `NO_PHONE`, `NOT_FOUND`'),
    reason: z.string().nullable(),
  })
  .meta({ id: 'BulkResult' });
/** A parsed bulk result. */
export type BulkResult = z.infer<typeof BulkResult>;

/** Answer of `POST /comms/bulk`. */
export const SendBulkCommsResponse = z
  .object({
    ok: z.literal(true),
    batch_id: z.string(),
    queued: z.number().int(),
    not_queued: z.number().int(),
    encoding: z.enum(['GSM-7', 'UCS-2']).optional(),
    segments: z.number().int().min(1).optional(),
    results: z.array(BulkResult),
  })
  .meta({ id: 'SendBulkCommsResponse' });

/** Query of `GET /comms`. */
export const CommsListQuery = ListQuery.extend({
  client_id: z.string().min(1).max(128).describe('The client whose communications to list'),
  type: CommsType.optional(),
});

/** A page of a client's communications, newest first. */
export const CommsList = z.object({ communications: z.array(Communication), next_cursor: NextCursor }).meta({ id: 'CommsList' });

/** Answer of `GET /comms/{id}` (the seed's `getSMSStatus`). */
export const CommsStatusResponse = z.object({ communication: Communication }).meta({ id: 'CommsStatusResponse' });
