import type { PartnerPayment } from '@careos/contract';
import type { Command } from 'commander';
import { PARTNER_SETTINGS } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { integerBetween, oneOf } from '../../lib/option-parsers.js';
import { createOutput, table } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

interface Options {
  status?: PartnerPayment['status'];
  limit?: number;
  cursor?: string;
  json?: boolean;
  [setting: string]: unknown;
}

// Spelled out rather than read from the contract's schema, so that registering the command loads no zod.
const STATUSES = ['pending', 'paid', 'disputed', 'cancelled'] as const satisfies readonly PartnerPayment['status'][];

/** `careos payments list`: one page of what CareOS owes this partner, newest first (partner key). */
export function register(program: Command): void {
  const command = noun(program, 'payments')
    .command('list')
    .description('List your payments (one per lead), newest first: amount, status, due and paid dates')
    .option('--status <status>', STATUSES.join(', '), oneOf(STATUSES))
    .option('--limit <n>', 'page size, 1-500 (default 100)', integerBetween(1, 500))
    .option('--cursor <cursor>', 'the next page: the cursor printed under the previous one')
    .option('--json', 'print the page exactly as the API returns it');
  addSettingOptions(command, PARTNER_SETTINGS);
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(PARTNER_SETTINGS, options);
    const { withPartnerClient } = await import('../../lib/clients.js');
    await withPartnerClient(settings, async (client) => {
      const page = await client.partner.payments.list({
        ...(options.status ? { status: options.status } : {}),
        ...(options.limit ? { limit: options.limit } : {}),
        ...(options.cursor ? { cursor: options.cursor } : {}),
      });
      const body = page.body as { payments: typeof page.data; next_cursor: string | null };
      out.data(body, () => {
        if (body.payments.length === 0) return out.color.dim('No payments match.');
        const day = (t: string | null) => t?.slice(0, 10);
        const rows = body.payments.map((p) => [p.id, p.lead_id, `$${p.amount.toFixed(2)}`, p.status, day(p.due_date), day(p.paid_at), p.payout_id]);
        const lines = [table(out.color, ['ID', 'LEAD', 'AMOUNT', 'STATUS', 'DUE', 'PAID', 'PAYOUT'], rows)];
        if (body.next_cursor) lines.push(out.color.dim(`More: --cursor ${body.next_cursor}`));
        return lines.join('\n');
      });
    });
  });
}
