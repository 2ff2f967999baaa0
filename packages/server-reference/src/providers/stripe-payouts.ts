import { ProviderError, type PayoutProvider, type PayoutRequest, type PayoutResult } from './types.js';

/** Options of {@link createStripePayoutProvider}. */
export interface StripePayoutOptions {
  secretKey: string;
  /** API origin (default `https://api.stripe.com`). */
  baseUrl?: string;
  /** Per-request timeout in ms (default 15 000). */
  timeoutMs?: number;
}

/**
 * Stripe Connect transfers over plain `fetch`: `POST /v1/transfers`, form-encoded, amount in
 * cents, with the payout id as `Idempotency-Key` so a retried run cannot pay twice.
 */
export function createStripePayoutProvider(options: StripePayoutOptions): PayoutProvider {
  const url = `${options.baseUrl ?? 'https://api.stripe.com'}/v1/transfers`;
  return {
    name: 'stripe',
    async pay(request: PayoutRequest): Promise<PayoutResult> {
      if (!request.partner.destination) {
        throw new ProviderError(`Partner ${request.partner.platform} has no payout destination (set its Stripe connected account id)`);
      }
      const form = new URLSearchParams({
        amount: String(request.amountCents),
        currency: request.currency,
        destination: request.partner.destination,
        'metadata[payout_id]': request.payoutId,
        'metadata[partner]': request.partner.platform,
      });
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${options.secretKey}`,
            'content-type': 'application/x-www-form-urlencoded',
            'idempotency-key': request.payoutId,
          },
          body: form,
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        throw new ProviderError(`Stripe unreachable: ${(error as Error).name}`);
      }
      const payload = (await response.json().catch(() => ({}))) as { id?: string; error?: { message?: string; code?: string } };
      if (!response.ok || typeof payload.id !== 'string') {
        const detail = payload.error?.message ?? `HTTP ${response.status}`;
        throw new ProviderError(`Stripe refused the transfer: ${detail}`, response.status);
      }
      return { reference: payload.id };
    },
  };
}
