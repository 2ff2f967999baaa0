import type { Command } from 'commander';
import { PARTNER_SETTINGS } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { integerBetween } from '../../lib/option-parsers.js';
import { createOutput, table } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

interface Options {
  limit?: number;
  cursor?: string;
  json?: boolean;
  [setting: string]: unknown;
}

/** `careos lead list`: one page of the leads this partner sent, newest first (partner key). */
export function register(program: Command): void {
  const command = noun(program, 'lead')
    .command('list')
    .description('List the leads you sent, newest first, with their payment status')
    .option('--limit <n>', 'page size, 1-500 (default 100)', integerBetween(1, 500))
    .option('--cursor <cursor>', 'the next page: the cursor printed under the previous one')
    .option('--json', 'print the page exactly as the API returns it');
  addSettingOptions(command, PARTNER_SETTINGS);
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(PARTNER_SETTINGS, options);
    const { withPartnerClient } = await import('../../lib/clients.js');
    await withPartnerClient(settings, async (client) => {
      const page = await client.leads.list({ ...(options.limit ? { limit: options.limit } : {}), ...(options.cursor ? { cursor: options.cursor } : {}) });
      const body = page.body as { leads: typeof page.data; next_cursor: string | null };
      out.data(body, () => {
        if (body.leads.length === 0) return out.color.dim('No leads yet.');
        const rows = body.leads.map((l) => [l.id, l.created_at.slice(0, 19).replace('T', ' '), l.status, l.category, `$${l.lead_value_agreed.toFixed(2)}`, l.payment?.status, l.source_conversation_id]);
        const lines = [table(out.color, ['ID', 'RECEIVED (UTC)', 'STATUS', 'CATEGORY', 'VALUE', 'PAYMENT', 'CONVERSATION'], rows)];
        if (body.next_cursor) lines.push(out.color.dim(`More: --cursor ${body.next_cursor}`));
        return lines.join('\n');
      });
    });
  });
}
