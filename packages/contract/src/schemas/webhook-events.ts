import { z } from 'zod';

/**
 * Every webhook event CareOS sends. `alert.*`, `milestone.achieved` and `consent.revoked` go to
 * therapist-integration partners; `payment.paid` goes to lead partners.
 */
export const WEBHOOK_EVENT_TYPES = ['alert.created', 'alert.critical', 'milestone.achieved', 'consent.revoked', 'payment.paid'] as const;

/** One webhook event type. */
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES).meta({ id: 'WebhookEventType', description: 'A webhook event type' });
/** One webhook event type. */
export type WebhookEventType = z.infer<typeof WebhookEventType>;
