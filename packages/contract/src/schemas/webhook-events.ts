import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../constants.js';

/** One webhook event type. */
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES).meta({ id: 'WebhookEventType', description: 'A webhook event type' });
/** One webhook event type. */
export type WebhookEventType = z.infer<typeof WebhookEventType>;
