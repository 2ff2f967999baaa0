import type { ProcessPaymentsResponse } from '@careos/sdk';
import { type Command, InvalidArgumentError } from 'commander';
import { ADMIN_SETTINGS, requireSettings } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, type Output } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

interface Options {
  asOf?: string;
  partner?: string;
  json?: boolean;
  [setting: string]: unknown;
}

/** `YYYY-MM-DD` means the end of that day (UTC): everything due that day is paid. */
function asOf(value: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T23:59:59.999Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('must be a date (YYYY-MM-DD) or an ISO 8601 time');
  return date.toISOString();
}

function render(out: Output, result: ProcessPaymentsResponse): string {
  const usd = (n: number) => `$${n.toFixed(2)}`;
  const lines = [`Payments due by ${result.as_of}`];
  if (result.payouts.length === 0 && result.skipped.length === 0) lines.push(out.color.dim('Nothing was due.'));
  for (const p of result.payouts) {
    lines.push(`  ${p.status === 'paid' ? out.color.green('paid') : out.color.yellow(p.status)}  ${p.partner}  ${usd(p.amount)} for ${p.payments_count} lead(s) via ${p.provider}  ${out.color.dim(p.id)}`);
  }
  for (const s of result.skipped) lines.push(`  ${out.color.yellow('skipped')}  ${s.partner}  ${usd(s.amount)} for ${s.payments_count} lead(s): ${s.message}`);
  return lines.join('\n');
}

/** `careos payments process`: the seed's monthly partner payout job, on demand (admin). */
export function register(program: Command): void {
  const command = noun(program, 'payments')
    .command('process')
    .description('Pay partners what is due: aggregate pending payments, apply minimums, pay out, mark paid (admin)')
    .option('--as-of <date>', 'pay what is due by this date or time (default: now)', asOf)
    .option('--partner <platform>', 'only this partner')
    .option('--json', 'print the result as JSON');
  addSettingOptions(command, ADMIN_SETTINGS);
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    await requireSettings(settings, ['email', 'password']);
    const { adminClient } = await import('../../lib/clients.js');
    const client = adminClient(settings);
    try {
      const result = await client.admin.payments.process({
        ...(options.asOf ? { as_of: options.asOf } : {}),
        ...(options.partner ? { partner: options.partner } : {}),
      });
      out.data(result, () => render(out, result));
    } finally {
      await client.close();
    }
  });
}
