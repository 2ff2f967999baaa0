import { PAGE_SIZE, WEBHOOK_EVENT_TYPES, type WebhookDelivery, type WebhookEventType } from '@careos/contract';
import type { WebhookDeliveryListParams } from '@careos/sdk';
import type { Command } from 'commander';
import { ADMIN_SETTINGS, requireSettings } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { integerBetween, oneOf } from '../../lib/option-parsers.js';
import { createOutput, table, type Output } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

interface Options {
  status?: WebhookDelivery['status'];
  event?: WebhookEventType;
  endpoint?: string;
  limit?: number;
  cursor?: string;
  json?: boolean;
  [setting: string]: unknown;
}

interface DeliveryList {
  deliveries: WebhookDelivery[];
  next_cursor: string | null;
}

function render(out: Output, list: DeliveryList): string {
  if (list.deliveries.length === 0) return out.color.dim('No deliveries match.');
  const rows = list.deliveries.map((d) => [
    d.id,
    d.event,
    d.status,
    d.attempts,
    d.last_status_code ?? d.last_error,
    d.created_at.slice(0, 19).replace('T', ' '),
    d.status === 'pending' ? d.next_attempt_at?.slice(0, 19).replace('T', ' ') : null,
    d.url,
  ]);
  const lines = [table(out.color, ['ID', 'EVENT', 'STATUS', 'ATTEMPTS', 'LAST RESULT', 'CREATED (UTC)', 'NEXT ATTEMPT', 'URL'], rows)];
  if (list.next_cursor) lines.push(out.color.dim(`More: --cursor ${list.next_cursor}`));
  return lines.join('\n');
}

/** `careos webhooks deliveries`: one page of webhook deliveries, newest first (admin). */
export function register(program: Command): void {
  const command = noun(program, 'webhooks')
    .command('deliveries')
    .description('List webhook deliveries, newest first, with where each stands (admin)')
    .option('--status <status>', 'pending, delivered or failed', oneOf(['pending', 'delivered', 'failed'] as const))
    .option('--event <event>', WEBHOOK_EVENT_TYPES.join(', '), oneOf(WEBHOOK_EVENT_TYPES))
    .option('--endpoint <id>', 'only deliveries to this endpoint (whep_…)')
    .option('--limit <n>', `page size, 1-${PAGE_SIZE.max} (default ${PAGE_SIZE.default})`, integerBetween(1, PAGE_SIZE.max))
    .option('--cursor <cursor>', 'the next page: the cursor printed under the previous one')
    .option('--json', 'print the page exactly as the API returns it');
  addSettingOptions(command, ADMIN_SETTINGS);
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    await requireSettings(settings, ['email', 'password']);
    const { adminClient } = await import('../../lib/clients.js');
    const admin = adminClient(settings);
    try {
      const query: WebhookDeliveryListParams = {
        ...(options.status ? { status: options.status } : {}),
        ...(options.event ? { event: options.event } : {}),
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(options.limit ? { limit: options.limit } : {}),
        ...(options.cursor ? { cursor: options.cursor } : {}),
      };
      const page = await admin.admin.webhooks.deliveries.list(query);
      const body = page.body as DeliveryList;
      out.data(body, () => render(out, body));
    } finally {
      await admin.close();
    }
  });
}
