import type { PayoutProvider, PayoutRequest, PayoutResult } from './types.js';

/**
 * The default payout provider: money moves outside CareOS (e.g. by bank transfer), and the
 * `payouts` table is the ledger. The reference is derived from the payout id, so a retried
 * payout gets the same one.
 */
export function createLedgerPayoutProvider(): PayoutProvider {
  return {
    name: 'ledger',
    async pay(request: PayoutRequest): Promise<PayoutResult> {
      return { reference: `ledger_${request.payoutId}` };
    },
  };
}
