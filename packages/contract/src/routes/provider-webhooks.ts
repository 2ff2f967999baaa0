import {
  SendGridEventBatch,
  SendGridEventsResponse,
  TwilioInboundMessage,
  TwilioStatusCallback,
  TwilioStatusCallbackResponse,
  TwimlResponse,
} from '../schemas/provider-webhooks.js';
import { defineRoute } from '../route.js';

const tags = ['Provider webhooks'];

/**
 * What Twilio and SendGrid call: delivery reports, replies to our SMS (opt-out keywords
 * included) and email events. Each is authenticated by the provider's signature over the
 * request, not by a credential of ours. Under `/webhooks/`, apart from the routes that manage
 * the webhooks CareOS sends (`/api/partner/webhooks`, `/admin/webhooks/…`).
 */
export const providerWebhookRoutes = {
  twilioStatusCallback: defineRoute({
    id: 'twilioStatusCallback',
    method: 'POST',
    path: '/webhooks/twilio/status',
    summary: 'Twilio delivery report of an SMS we sent (its StatusCallback)',
    description:
      'Verified with `X-Twilio-Signature` over the configured public URL (`CAREOS_PUBLIC_URL`, or `TWILIO_WEBHOOK_BASE_URL`), ' +
      'so it holds behind a TLS-terminating proxy. Every report is kept; the message’s status only moves forward ' +
      '(`delivered` then a late `sent` stays `delivered`). A report received twice changes nothing the second time.',
    tags,
    auth: 'twilioSignature',
    body: TwilioStatusCallback,
    bodyEncoding: 'form',
    status: 200,
    response: TwilioStatusCallbackResponse,
    errors: {},
  }),

  twilioInboundMessage: defineRoute({
    id: 'twilioInboundMessage',
    method: 'POST',
    path: '/webhooks/twilio/inbound',
    summary: 'An SMS someone sent to our number: opt-out and help keywords, or a reply stored in the contact’s conversation',
    description:
      'The whole body, trimmed and in any case, is a keyword or not. STOP, STOPALL, UNSUBSCRIBE, END, QUIT, CANCEL opt the ' +
      'number out of every SMS; START, UNSTOP, YES opt it back in; HELP answers with the help text. Any other text is stored ' +
      'as an inbound message of the contact with that phone; from an unknown number it is not stored (the event is kept ' +
      'and audited without the text). Answered with TwiML.',
    tags,
    auth: 'twilioSignature',
    body: TwilioInboundMessage,
    bodyEncoding: 'form',
    status: 200,
    response: TwimlResponse,
    responseEncoding: 'xml',
    errors: {},
  }),

  sendgridEvents: defineRoute({
    id: 'sendgridEvents',
    method: 'POST',
    path: '/webhooks/sendgrid/events',
    summary: 'SendGrid Event Webhook: delivery, bounce, spam report and unsubscribe events of emails we sent',
    description:
      'Verified with the ECDSA signature over the raw body (`SENDGRID_WEBHOOK_PUBLIC_KEY`); a timestamp older than ' +
      '`SENDGRID_WEBHOOK_MAX_AGE_SECONDS` is refused. Events are matched to our message by the custom arg ' +
      '`careos_message_id`, deduplicated on `sg_event_id` and all kept; bounces, spam reports and unsubscribes suppress the address.',
    tags,
    auth: 'sendgridSignature',
    body: SendGridEventBatch,
    status: 200,
    response: SendGridEventsResponse,
    errors: {},
  }),
} as const;
