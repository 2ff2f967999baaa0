import { ALERT_TYPES, PAGE_SIZE, type TherapistAlertList } from '@careos/contract';
import type { AlertListParams } from '@careos/sdk';
import type { Command } from 'commander';
import { addIntegrationOptions, withIntegrationClient } from '../../lib/integration-command.js';
import { personName } from '../../lib/integration-format.js';
import { noun } from '../../lib/nouns.js';
import { integerBetween, oneOf, startOfDayOrTime } from '../../lib/option-parsers.js';
import { createOutput, table, type Output } from '../../lib/output.js';

interface Options {
  type?: AlertListParams['type'];
  unreadOnly?: boolean;
  since?: string;
  limit?: number;
  cursor?: string;
  json?: boolean;
  [setting: string]: unknown;
}

function render(out: Output, list: TherapistAlertList): string {
  const lines: string[] = [];
  if (list.alerts.length === 0) lines.push(out.color.dim('No alerts match.'));
  else {
    const rows = list.alerts.map((a) => [a.createdAt.slice(0, 16).replace('T', ' '), a.alertType, a.severity, personName(a.client), a.readAt ? 'read' : 'unread', a.message]);
    lines.push(table(out.color, ['CREATED (UTC)', 'TYPE', 'SEVERITY', 'CLIENT', 'STATUS', 'MESSAGE'], rows));
  }
  lines.push(out.color.dim(`${list.alerts.length} shown of ${list.total} matching, ${list.unreadCount} unread`));
  if (list.next_cursor) lines.push(out.color.dim(`More: --cursor ${list.next_cursor}`));
  return lines.join('\n');
}

/** `careos integration alerts`: one page of the therapist's alerts, newest first. */
export function register(program: Command): void {
  const command = noun(program, 'integration')
    .command('alerts')
    .description("The therapist's alerts (crisis, risk, milestone, stagnation) about consented clients, newest first")
    .option('--type <type>', `only this type: ${ALERT_TYPES.join(', ')}`, oneOf(ALERT_TYPES))
    .option('--unread-only', 'only unread alerts')
    .option('--since <date>', 'only alerts created after this time: YYYY-MM-DD (start of day, UTC) or ISO 8601', startOfDayOrTime)
    .option('--limit <n>', `page size, 1-${PAGE_SIZE.max} (default ${PAGE_SIZE.default})`, integerBetween(1, PAGE_SIZE.max))
    .option('--cursor <cursor>', 'the next page: the cursor printed under the previous one');
  addIntegrationOptions(command).action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const query: AlertListParams = {
      ...(options.type ? { type: options.type } : {}),
      ...(options.unreadOnly ? { unreadOnly: true } : {}),
      ...(options.since ? { since: options.since } : {}),
      ...(options.limit ? { limit: options.limit } : {}),
      ...(options.cursor ? { cursor: options.cursor } : {}),
    };
    // One page, as the API sent it (with `unreadCount`, `total` and `next_cursor`), rather than
    // every page merged: `--limit` then means what the API means by it.
    const page = await withIntegrationClient(options, (client) => client.alerts.list(query));
    const body = page.body as TherapistAlertList;
    out.data(body, () => render(out, body));
  });
}
