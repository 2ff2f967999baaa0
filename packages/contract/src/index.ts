/**
 * The one description of the CareOS API: zod schemas, the route table, the OpenAPI document
 * built from it, and the few formulas both sides must share (phone normalisation and hash,
 * key ids, the category mapping).
 *
 * @packageDocumentation
 */
export * from './categories.js';
export * from './comms-status.js';
export * from './common.js';
export * from './constants.js';
export * from './crypto.js';
export * from './errors.js';
export * from './examples.js';
export * from './openapi.js';
export * from './phone.js';
export * from './route.js';
export * from './route-errors.js';
export * from './sms-segments.js';
export * from './routes.js';
export * from './schemas/alerts.js';
export * from './schemas/dashboard.js';
export * from './schemas/audit.js';
export * from './schemas/auth.js';
export * from './schemas/bookings.js';
export * from './schemas/comms.js';
export * from './schemas/calendar.js';
export * from './schemas/calendar-event-write.js';
export * from './schemas/contacts.js';
export * from './schemas/health.js';
export * from './schemas/inventory.js';
export * from './schemas/integration/index.js';
export * from './schemas/integration-checks.js';
export * from './schemas/keys.js';
export * from './schemas/leads.js';
export * from './schemas/lookup.js';
export * from './schemas/messages.js';
export * from './schemas/partners.js';
export * from './schemas/payments.js';
export * from './schemas/provider-webhooks.js';
export * from './schemas/calendar-push.js';
export * from './schemas/webhook-events.js';
export * from './schemas/webhooks.js';
