import type { VerifiedWebhook } from '@careos/webhook-verifier';

/** The body of every CareOS event: its type and time, plus the event's own fields. */
export interface CareOSEvent {
  type: 'alert.created' | 'alert.critical' | 'milestone.achieved' | 'consent.revoked' | 'payment.paid';
  timestamp: string;
  [field: string]: unknown;
}

/**
 * What your application does with a verified delivery. Delivery is at least once: a retry
 * carries the same `webhook.id`, so store the ids you have processed and skip repeats. Throw
 * (or reject) to answer 500, and CareOS tries again later.
 */
export type OnEvent = (webhook: VerifiedWebhook<CareOSEvent>) => void | Promise<void>;

/**
 * The signing secrets from the environment: `CAREOS_WEBHOOK_SECRET`, plus
 * `CAREOS_WEBHOOK_SECRET_PREVIOUS` while a rotation is under way (either one may match).
 */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const current = env.CAREOS_WEBHOOK_SECRET;
  if (!current) throw new Error('Set CAREOS_WEBHOOK_SECRET to your endpoint’s whsec_… signing secret');
  return env.CAREOS_WEBHOOK_SECRET_PREVIOUS ? [current, env.CAREOS_WEBHOOK_SECRET_PREVIOUS] : [current];
}

/** Logs each event: the default when a receiver is started from the command line. */
export const logEvent: OnEvent = (webhook) => {
  console.log(`${webhook.timestamp.toISOString()} ${webhook.type} ${webhook.id ?? '(legacy)'}`, webhook.event);
};
