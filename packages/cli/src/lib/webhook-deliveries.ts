import type { CareOS, WebhookDelivery, WebhookDeliveryDetail } from '@careos/sdk';
import type { Output } from './output.js';

/** Poll interval while waiting for a delivery's first attempt. */
const POLL_MS = 200;

/**
 * Whether the delivery's current series has had its first attempt: it was delivered, it failed
 * for good, or it failed once and waits for a retry minutes away. Any of these is worth reporting.
 * A delivery counts an attempt from when it is claimed, so the current attempt is reportable only
 * once the history holds it (numbered within the series, like `attempts`) with an outcome.
 */
export function attempted(delivery: WebhookDeliveryDetail): boolean {
  if (delivery.status !== 'pending') return true;
  const last = delivery.attempt_history.at(-1);
  return delivery.attempts > 0 && last?.attempt === delivery.attempts && last.outcome !== 'sending';
}

/**
 * Polls each delivery until its first attempt is made or `timeoutMs` passes, and returns the last
 * state seen of each (still `pending` with no attempt when time ran out).
 */
export async function waitForAttempts(admin: CareOS, ids: readonly string[], timeoutMs: number): Promise<WebhookDeliveryDetail[]> {
  const deadline = Date.now() + timeoutMs;
  let latest = await Promise.all(ids.map((id) => admin.admin.webhooks.deliveries.retrieve(id)));
  while (!latest.every(attempted) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    latest = await Promise.all(latest.map((d) => (attempted(d) ? d : admin.admin.webhooks.deliveries.retrieve(d.id))));
  }
  return latest;
}

/** Where a delivery stands, in words: `delivered (204) after 1 attempt`, `pending: attempt 1 got 500, next …`. */
export function deliveryState(out: Output, d: WebhookDelivery): string {
  const outcome = d.last_status_code !== null ? `got ${d.last_status_code}` : d.last_error ? `failed: ${d.last_error}` : 'no answer';
  if (d.status === 'delivered') return out.color.green(`delivered (${d.last_status_code}) after ${d.attempts} attempt(s)`);
  if (d.status === 'failed') return out.color.red(`failed after ${d.attempts} attempt(s): last ${outcome}`);
  if (d.attempts === 0) return out.color.yellow('pending: not attempted yet');
  return out.color.yellow(`pending: attempt ${d.attempts} ${outcome}; next at ${d.next_attempt_at}`);
}

/** One line per delivery: id, event, state, URL. */
export function deliveryLines(out: Output, deliveries: readonly WebhookDelivery[]): string {
  return deliveries.map((d) => `  ${d.id}  ${d.event}  ${deliveryState(out, d)}  ${out.color.dim(d.url)}`).join('\n');
}
