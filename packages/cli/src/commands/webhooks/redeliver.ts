import type { Command } from 'commander';
import { ADMIN_SETTINGS, requireSettings } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { integerBetween } from '../../lib/option-parsers.js';
import { createOutput } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';
import { deliveryLines, waitForAttempts } from '../../lib/webhook-deliveries.js';

interface Options {
  wait: boolean;
  timeout: number;
  json?: boolean;
  [setting: string]: unknown;
}

/** `careos webhooks redeliver <deliveryId>`: send a delivery again now (admin). */
export function register(program: Command): void {
  const command = noun(program, 'webhooks')
    .command('redeliver')
    .argument('<deliveryId>', 'a delivery id (whmsg_…) from `careos webhooks deliveries` or `trigger`')
    .description('Send a delivery again now, whatever its status: same body and webhook-id, a new series of attempts (admin)')
    .option('--no-wait', 'print the delivery as queued without waiting for its first attempt')
    .option('--timeout <seconds>', 'how long to wait for the first attempt', integerBetween(1, 300), 15)
    .option('--json', 'print the delivery as JSON (after its first attempt, unless --no-wait)');
  addSettingOptions(command, ADMIN_SETTINGS);
  command.addHelpText('after', '\nReceivers that drop repeated webhook-ids will see a duplicate and ignore it: that is the point of the id.');
  command.action(async (deliveryId: string, options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    await requireSettings(settings, ['email', 'password']);
    const { adminClient } = await import('../../lib/clients.js');
    const admin = adminClient(settings);
    try {
      const queued = await admin.admin.webhooks.deliveries.redeliver(deliveryId);
      const delivery = options.wait ? (await waitForAttempts(admin, [queued.id], options.timeout * 1000))[0]! : queued;
      out.data(delivery, () => `Redelivering ${delivery.id} (${delivery.event})\n${deliveryLines(out, [delivery])}`);
    } finally {
      await admin.close();
    }
  });
}
