import { z } from 'zod';
import { ListQuery, NextCursor, Timestamp, prefixedId } from '../common.js';
import { INTEGRATION_WEBHOOK_EVENTS, PARTNER_WEBHOOK_EVENTS } from '../constants.js';
import { PlatformName } from './partners.js';
import { WebhookEventType } from './webhook-events.js';

/** An integration-partner event type. */
export type IntegrationWebhookEventType = (typeof INTEGRATION_WEBHOOK_EVENTS)[number];
/** A lead-partner event type. */
export type PartnerWebhookEventType = (typeof PARTNER_WEBHOOK_EVENTS)[number];

/** Longest webhook URL accepted. */
export const WEBHOOK_URL_MAX_LENGTH = 2048;

/**
 * A URL CareOS can POST to: absolute `http:` or `https:`, no user name or password in it.
 * Where it may point is the server's policy, checked at registration (400 `Webhook URL not
 * allowed`) and at every delivery: in production https only, and never a loopback, private,
 * link-local or cloud metadata address; a development server accepts http and local receivers.
 */
export const WebhookUrl = z
  .string()
  .trim()
  .min(1)
  .max(WEBHOOK_URL_MAX_LENGTH)
  .superRefine((value, issue) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      issue.addIssue({ code: 'custom', message: 'Must be an absolute http:// or https:// URL' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') issue.addIssue({ code: 'custom', message: 'Must use http or https' });
    if (url.username || url.password) issue.addIssue({ code: 'custom', message: 'Must not contain a user name or password' });
  })
  .meta({ id: 'WebhookUrl', description: 'Absolute URL that receives the POSTs: https, at a public address (a development server also accepts http and local receivers)', format: 'uri' });

function eventList<const T extends readonly [string, ...string[]]>(allowed: T, who: string) {
  return z
    .array(z.enum(allowed, { error: (issue) => `${who} can subscribe to ${allowed.join(', ')}; not ${JSON.stringify(issue.input)}` }))
    .min(1, 'Subscribe to at least one event')
    .max(20)
    .transform((events) => [...new Set(events)]);
}

// ---------------------------------------------------------------------------------------------
// Event payloads. Every delivery body is `{ type, timestamp, ...fields }`: the seed's fields
// verbatim, plus the event type and the time the event happened, so one URL can take every event.

const envelope = <E extends z.ZodType>(type: E) => ({
  type: type.describe('Event type (also in the X-CareOS-Event header)'),
  timestamp: Timestamp.describe('When the event happened; the same on every retry'),
});

const AlertFields = {
  therapistId: z.string().describe('The therapist whose client this is (the endpoint was registered with their token)'),
  alertId: z.string(),
  clientId: z.string(),
  alertType: z.enum(['CRISIS', 'RISK', 'MILESTONE', 'STAGNATION']),
  severity: z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
  message: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: Timestamp,
};

/** `alert.created`: any new alert about one of the therapist's consented clients (seed §3 payload). */
export const AlertCreatedEvent = z
  .object({ ...envelope(z.literal('alert.created')), ...AlertFields })
  .meta({ id: 'AlertCreatedEvent', description: 'A new alert about one of the therapist’s clients' });

/** `alert.critical`: a new alert of severity `CRITICAL` (safety plan activation recommended). */
export const AlertCriticalEvent = z
  .object({ ...envelope(z.literal('alert.critical')), ...AlertFields })
  .meta({ id: 'AlertCriticalEvent', description: 'A new CRITICAL alert' });

/** `milestone.achieved`: a `MILESTONE` alert (phase completion, score breakthrough, streak). */
export const MilestoneAchievedEvent = z
  .object({ ...envelope(z.literal('milestone.achieved')), ...AlertFields })
  .meta({ id: 'MilestoneAchievedEvent', description: 'A client reached a milestone' });

/** `consent.revoked`: the client withdrew consent; purge their cached data (seed §7). */
export const ConsentRevokedEvent = z
  .object({
    ...envelope(z.literal('consent.revoked')),
    therapistId: z.string(),
    clientId: z.string(),
    linkId: z.string().optional().describe('The client–therapist consent link that was revoked'),
    revokedAt: Timestamp,
  })
  .meta({ id: 'ConsentRevokedEvent', description: 'A client revoked consent: requests for them now get 403 NO_CONSENT' });

/**
 * `payment.paid`: CareOS paid a lead partner. Field names follow the lead-ingestion API
 * (snake_case, as in `GET /api/partner/payments`).
 */
export const PaymentPaidEvent = z
  .object({
    ...envelope(z.literal('payment.paid')),
    payout_id: prefixedId('po'),
    partner: z.string().describe('Partner platform'),
    amount: z.number().describe('USD'),
    currency: z.literal('USD'),
    payment_ids: z.array(prefixedId('pay')),
    lead_ids: z.array(prefixedId('lead')),
    paid_at: Timestamp,
  })
  .meta({ id: 'PaymentPaidEvent', description: 'A payout to the partner completed' });

/** The body schema of each event type. */
export const WEBHOOK_EVENT_SCHEMAS = {
  'alert.created': AlertCreatedEvent,
  'alert.critical': AlertCriticalEvent,
  'milestone.achieved': MilestoneAchievedEvent,
  'consent.revoked': ConsentRevokedEvent,
  'payment.paid': PaymentPaidEvent,
} as const satisfies Record<WebhookEventType, z.ZodType>;

/** The parsed body of a delivery of event type `E`. */
export type WebhookEventPayload<E extends WebhookEventType = WebhookEventType> = z.infer<(typeof WEBHOOK_EVENT_SCHEMAS)[E]>;

/** Any webhook delivery body, discriminated by `type`. */
export const WebhookEvent = z
  .discriminatedUnion('type', [AlertCreatedEvent, AlertCriticalEvent, MilestoneAchievedEvent, ConsentRevokedEvent, PaymentPaidEvent])
  .meta({ id: 'WebhookEvent' });
/** Any parsed webhook delivery body. */
export type WebhookEvent = z.infer<typeof WebhookEvent>;

// ---------------------------------------------------------------------------------------------
// Registration.

/** Body of `POST /api/integration/webhook/register` (seed, verbatim). */
export const RegisterWebhookRequest = z
  .object({
    webhookUrl: WebhookUrl,
    events: eventList(INTEGRATION_WEBHOOK_EVENTS, 'An integration webhook').describe(
      `Any of ${INTEGRATION_WEBHOOK_EVENTS.join(', ')}`,
    ),
  })
  .meta({ id: 'RegisterWebhookRequest' });

/**
 * Response of `POST /api/integration/webhook/register`: the seed's fields verbatim plus
 * `webhookId`, which the seed lacks and removal needs. `webhookSecret` is shown only here:
 * registering the same URL again replaces the events and issues a new secret.
 */
export const RegisterWebhookResponse = z
  .object({
    message: z.literal('Webhook registered successfully'),
    webhookId: prefixedId('whep').describe('The endpoint’s id: remove it with DELETE /api/integration/webhook/{webhookId}'),
    webhookUrl: z.string(),
    webhookSecret: z.string().describe('`whsec_` + base64; verifies both signature schemes. Store it now: it is not shown again'),
    events: z.array(WebhookEventType),
  })
  .meta({ id: 'RegisterWebhookResponse' });

/** A registered webhook endpoint (never with its secret). */
export const WebhookEndpoint = z
  .object({
    id: prefixedId('whep'),
    url: z.string(),
    events: z.array(WebhookEventType),
    owner_kind: z.enum(['integration', 'partner']).describe('integration partner (for one therapist) or lead partner'),
    owner_id: z.string().describe('Integration partner id or lead partner id'),
    therapist_id: z.string().nullable().describe('For integration endpoints: the therapist whose clients’ events are sent'),
    created_at: Timestamp,
    updated_at: Timestamp,
    disabled_at: Timestamp.nullable(),
  })
  .meta({ id: 'WebhookEndpoint' });

/** A parsed webhook endpoint. */
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

/** Body of `POST /api/partner/webhooks`. */
export const CreatePartnerWebhookRequest = z
  .object({
    url: WebhookUrl,
    events: eventList(PARTNER_WEBHOOK_EVENTS, 'A lead partner webhook')
      .default([...PARTNER_WEBHOOK_EVENTS])
      .describe(`Any of ${PARTNER_WEBHOOK_EVENTS.join(', ')} (default: all)`),
  })
  .meta({ id: 'CreatePartnerWebhookRequest' });

/** A new (or re-registered) partner endpoint with its secret: the only time the secret is shown. */
export const CreatePartnerWebhookResponse = z
  .object({
    webhook: WebhookEndpoint,
    secret: z.string().describe('`whsec_` + base64. Store it now: it is not shown again'),
  })
  .meta({ id: 'CreatePartnerWebhookResponse' });

/**
 * Response of removing an endpoint (both owners' routes): the endpoint as it now stands, with
 * `disabled_at` set. Nothing more is sent to it, and its pending deliveries are marked `failed`.
 */
export const DeleteWebhookResponse = WebhookEndpoint.extend({ disabled_at: Timestamp.describe('When the endpoint was removed') }).meta({
  id: 'DeleteWebhookResponse',
});
/** A parsed removal response. */
export type DeleteWebhookResponse = z.infer<typeof DeleteWebhookResponse>;

/** A page of webhook endpoints. */
export const WebhookEndpointList = z
  .object({ webhooks: z.array(WebhookEndpoint), next_cursor: NextCursor })
  .meta({ id: 'WebhookEndpointList' });

/** Query of `GET /admin/webhooks/endpoints`. */
export const WebhookEndpointListQuery = ListQuery.extend({
  owner_kind: z.enum(['integration', 'partner']).optional(),
});

// ---------------------------------------------------------------------------------------------
// Deliveries (admin).

/**
 * Where a delivery stands: `pending` (an attempt is due), `delivered` (2xx), `failed` (attempts
 * exhausted, or the endpoint was removed: `last_error` is then `endpoint removed`).
 */
export const WebhookDeliveryStatus = z.enum(['pending', 'delivered', 'failed']).meta({ id: 'WebhookDeliveryStatus' });

/** One event on its way to one endpoint. The id is the `webhook-id` header, stable across retries. */
export const WebhookDelivery = z
  .object({
    id: prefixedId('whmsg'),
    endpoint_id: prefixedId('whep'),
    url: z.string(),
    event: WebhookEventType,
    status: WebhookDeliveryStatus,
    attempts: z.number().int().describe('Attempts in the current series, counted when they start (a redelivery starts a new series)'),
    next_attempt_at: Timestamp.nullable().describe('null once delivered or failed'),
    last_attempt_at: Timestamp.nullable(),
    last_status_code: z.number().int().nullable().describe('HTTP status of the last attempt; null when no response arrived'),
    last_error: z.string().nullable(),
    delivered_at: Timestamp.nullable(),
    created_at: Timestamp,
  })
  .meta({ id: 'WebhookDelivery' });

/** A parsed delivery. */
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/**
 * Where one attempt stands. An attempt is recorded as `sending` before its request goes out;
 * `interrupted` means the instance sending it stopped before a response was recorded (the
 * receiver may or may not have got it: delivery is at least once, and the next attempt follows).
 */
export const WebhookAttemptOutcome = z.enum(['sending', 'delivered', 'failed', 'interrupted']).meta({ id: 'WebhookAttemptOutcome' });
/** A parsed attempt outcome. */
export type WebhookAttemptOutcome = z.infer<typeof WebhookAttemptOutcome>;

/** One attempt to deliver. */
export const WebhookAttempt = z
  .object({
    id: prefixedId('whatt'),
    attempt: z.number().int().describe('1-based within its series'),
    outcome: WebhookAttemptOutcome,
    started_at: Timestamp,
    duration_ms: z.number().int().describe('0 while sending and for an interrupted attempt'),
    status_code: z.number().int().nullable(),
    error: z.string().nullable().describe('Connection error or reason; never the response body'),
  })
  .meta({ id: 'WebhookAttempt' });

/** A delivery with every attempt made, oldest first. */
export const WebhookDeliveryDetail = WebhookDelivery.extend({ attempt_history: z.array(WebhookAttempt) }).meta({ id: 'WebhookDeliveryDetail' });
/** A parsed delivery with its attempts. */
export type WebhookDeliveryDetail = z.infer<typeof WebhookDeliveryDetail>;

/** Query of `GET /admin/webhooks/deliveries`. */
export const WebhookDeliveryListQuery = ListQuery.extend({
  status: WebhookDeliveryStatus.optional(),
  event: WebhookEventType.optional(),
  endpoint: prefixedId('whep').max(64).optional().describe('Only deliveries to this endpoint id'),
});

/** A page of deliveries, newest first. */
export const WebhookDeliveryList = z
  .object({ deliveries: z.array(WebhookDelivery), next_cursor: NextCursor })
  .meta({ id: 'WebhookDeliveryList' });

/** Body of `POST /admin/sandbox/webhooks/trigger` (snake_case, like every admin body). */
export const TriggerWebhookRequest = z
  .object({
    event: WebhookEventType,
    therapist_id: z.string().min(1).max(128).optional().describe('Required for integration events: whose endpoints receive it'),
    client_id: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe('Integration events: the client it is about. For alert events a real alert is raised for this client (who must be linked to the therapist); without it a sample is sent'),
    partner: PlatformName.optional().describe('Required for payment.paid: the lead partner platform'),
  })
  .superRefine((body, issue) => {
    const forPartner = (PARTNER_WEBHOOK_EVENTS as readonly string[]).includes(body.event);
    if (forPartner && !body.partner) issue.addIssue({ code: 'custom', path: ['partner'], message: `${body.event} needs partner` });
    if (!forPartner && !body.therapist_id) issue.addIssue({ code: 'custom', path: ['therapist_id'], message: `${body.event} needs therapist_id` });
  })
  .meta({ id: 'TriggerWebhookRequest' });

/** What the sandbox trigger queued: one delivery per subscribed endpoint (none when nobody subscribed). */
export const TriggerWebhookResponse = z
  .object({
    event: WebhookEventType,
    delivery_ids: z.array(prefixedId('whmsg')).describe('Deliveries queued; see GET /admin/webhooks/deliveries/{deliveryId}'),
  })
  .meta({ id: 'TriggerWebhookResponse' });
