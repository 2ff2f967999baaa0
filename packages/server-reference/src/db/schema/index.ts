/** Every table of the reference server, for drizzle and drizzle-kit. */
export * from './alerts.js';
export * from './audit.js';
export * from './cases.js';
export * from './data-keys.js';
export * from './idempotency.js';
export * from './integration-access.js';
export * from './integration-activity.js';
export * from './integration-clients.js';
export * from './leads.js';
export * from './lookup-keys.js';
export * from './messages.js';
export * from './partners.js';
export * from './payments.js';
export * from './settings.js';
export * from './staff.js';
export * from './users.js';
export * from './webhooks.js';
