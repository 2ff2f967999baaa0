/**
 * What each tag of the route table groups, as the OpenAPI document (and the `/docs` page built
 * from it) shows it. A tag used by a route but missing here fails the contract's tests.
 */
export const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  Meta: 'Health and readiness of the service. No authentication.',
  Leads: 'Lead ingestion from partner platforms, the public key that partners encrypt phone numbers with, and reading a lead back.',
  Payments: "A partner's monthly payments, and the partner's webhook endpoints where payment events are delivered.",
  Auth: 'Staff login, giving the JWT that the admin routes take.',
  Admin:
    'Care operations for staff: partners and their keys, leads, messages, payments and payouts, the integration and lookup set-up, webhooks and the audit trail.',
  Integration: "The therapist-integration API: a therapist's consented caseload, alerts, outcomes and webhook registration, for partner apps.",
  Webhooks: 'The endpoints that receive signed event deliveries, their delivery history and redelivery. The events themselves are under `webhooks`.',
  Sandbox: 'Data and events made on purpose (a webhook delivery, a lookup case) to try an integration end to end.',
  Lookup: 'The CCaaS screen-pop lookup: who is calling, from a phone number, for contact-centre software.',
  Audit: 'The tamper-evident audit trail of every privileged action.',
  Inventory: 'Supplies in stock: staff see them, admins add and change them; stock changes are atomic and an item low on stock raises an alert.',
  Alerts: 'Operations alerts (failed SMS, payouts and webhook deliveries, items low on stock): list, count, dismiss.',
  Dashboard: 'Business metrics for staff at a glance: contacts, leads, low stock, active alerts, messages queued and failed.',
  Contacts: 'The people care operations serve: partner-referred leads and contacts staff add, searchable without their details leaving encryption.',
  Bookings: "Contacts' appointments with staff: never two at once for one staff member, confirmed and reminded by SMS in the business's time zone.",
  'Provider webhooks':
    'What Twilio and SendGrid call (SMS delivery reports, replies and opt-out keywords, and email events; authenticated by the provider’s signature: point the providers at these URLs, see the communications guide), and the calendar change notifications of the channels CareOS opens itself at Google and Microsoft (authenticated by the channel’s secret).',
  Messages:
    'The conversation with a contact, both directions: staff replies (sent through the SMS outbox; a reply stops automated messages to the contact until an admin resumes them) and messages the contact sent.',
  Communications:
    'SMS and email to clients (single, template and bulk sends) with delivery status, opt-out and suppression, the BAA gate for PHI, and a HIPAA audit row per send.',
  Calendars:
    "Each staff member's Google and Microsoft calendar connections: OAuth with PKCE and a single-use state, tokens encrypted at rest that refresh themselves, disconnect that revokes where the provider allows.",
};
