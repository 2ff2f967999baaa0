// Plain values some schemas are built from, in a file without zod: a program that needs only
// the values (the CLI lists them in its options' help) loads no schema by importing them.

/** Default and maximum page sizes for every list endpoint (DESIGN §4.8). */
export const PAGE_SIZE = { default: 100, max: 500 } as const;

/** Severities of an operations alert (`/alerts`), most to least urgent. */
export const OPS_ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;

/** Alert types (seed §6). */
export const ALERT_TYPES = ['CRISIS', 'RISK', 'MILESTONE', 'STAGNATION'] as const;

/**
 * Every webhook event CareOS sends. `alert.*`, `milestone.achieved` and `consent.revoked` go to
 * therapist-integration partners; `payment.paid` goes to lead partners.
 */
export const WEBHOOK_EVENT_TYPES = ['alert.created', 'alert.critical', 'milestone.achieved', 'consent.revoked', 'payment.paid'] as const;

/** Events an integration partner may subscribe to (for one therapist's clients). */
export const INTEGRATION_WEBHOOK_EVENTS = ['alert.created', 'alert.critical', 'milestone.achieved', 'consent.revoked'] as const;
/** Events a lead partner may subscribe to. */
export const PARTNER_WEBHOOK_EVENTS = ['payment.paid'] as const;
