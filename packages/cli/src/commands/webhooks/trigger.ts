import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@careos/contract';
import type { CareOS, WebhookDeliveryDetail, WebhookTriggerResponse } from '@careos/sdk';
import { type Command, InvalidArgumentError } from 'commander';
import { ADMIN_SETTINGS, INTEGRATION_CREDENTIALS, requireSettings } from '../../lib/required-settings.js';
import { CliError, ExitCode } from '../../lib/exit-codes.js';
import { noun } from '../../lib/nouns.js';
import { integerBetween } from '../../lib/option-parsers.js';
import { createOutput, type Output } from '../../lib/output.js';
import { addSettingOptions, resolveSettings, type ResolvedSettings, type SettingName } from '../../lib/settings.js';
import { deliveryLines, waitForAttempts } from '../../lib/webhook-deliveries.js';

interface Options {
  client?: string;
  therapist?: string;
  partner?: string;
  wait: boolean;
  timeout: number;
  json?: boolean;
  [setting: string]: unknown;
}

/** Admin login, plus what supplies defaults: the therapist (and the integration key to find a client), the partner platform. */
const TRIGGER_SETTINGS = [...ADMIN_SETTINGS, 'therapistId', 'integrationKey', 'integrationSecret', 'platform'] as const satisfies readonly SettingName[];
const ALERT_EVENTS: readonly WebhookEventType[] = ['alert.created', 'alert.critical', 'milestone.achieved'];

function event(value: string): WebhookEventType {
  if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  return value as WebhookEventType;
}

/** Who the event is about, and how that was decided. */
interface Target {
  therapistId?: string;
  clientId?: string;
  /** How the client was chosen, for the human report. */
  clientNote?: string;
  partner?: string;
}

/**
 * A client for an alert event when none was given: the therapist's first consented client at
 * STANDARD or FULL permission, found through the integration API with the stored (or given)
 * integration credentials. STANDARD because the server raises a CRISIS alert about a BASIC
 * client without telling the therapist's endpoints, and a trigger that delivers nothing helps
 * no one. Without integration credentials for this therapist the sandbox sends a sample instead.
 */
async function pickClient(settings: ResolvedSettings, therapistId: string): Promise<{ clientId?: string; note: string }> {
  const v = settings.values;
  if (!INTEGRATION_CREDENTIALS.every((name) => v[name] !== undefined) || v.therapistId !== therapistId) {
    return { note: 'no --client, and no integration credentials for this therapist to find one: a sample alert (metadata.sample) was sent' };
  }
  const { integrationClient } = await import('../../lib/clients.js');
  const client = integrationClient(settings);
  try {
    const { clients } = await client.clients.list();
    const chosen = clients.find((c) => c.permissionLevel !== 'BASIC') ?? clients[0];
    if (!chosen) return { note: 'the therapist has no consented client: a sample alert (metadata.sample) was sent' };
    return { clientId: chosen.id, note: `about ${chosen.firstName} ${chosen.lastName} (${chosen.id}, ${chosen.permissionLevel}), the therapist's first client at STANDARD or above` };
  } finally {
    await client.close();
  }
}

async function chooseTarget(name: WebhookEventType, options: Options, settings: ResolvedSettings): Promise<Target> {
  if (name === 'payment.paid') {
    const partner = options.partner ?? settings.values.platform;
    if (!partner) throw new CliError('payment.paid needs --partner <platform> (or CAREOS_PLATFORM, or a stored partner login)', ExitCode.USAGE);
    return { partner };
  }
  const therapistId = options.therapist ?? settings.values.therapistId;
  if (!therapistId) throw new CliError(`${name} needs --therapist <id> (or CAREOS_THERAPIST_ID, or a stored integration login)`, ExitCode.USAGE);
  if (options.client) return { therapistId, clientId: options.client };
  if (!ALERT_EVENTS.includes(name)) return { therapistId, clientNote: 'no --client: a sample with a random client id was sent' };
  const picked = await pickClient(settings, therapistId);
  return { therapistId, ...(picked.clientId ? { clientId: picked.clientId } : {}), clientNote: picked.note };
}

function render(out: Output, result: WebhookTriggerResponse, target: Target, deliveries: readonly WebhookDeliveryDetail[] | null): string {
  const audience = target.partner ? `partner ${target.partner}` : `therapist ${target.therapistId}`;
  const lines = [`Triggered ${result.event} for ${audience}${target.clientId && !target.clientNote ? ` about client ${target.clientId}` : ''}`];
  if (target.clientNote) lines.push(out.color.dim(`  (${target.clientNote})`));
  if (result.delivery_ids.length === 0) {
    const why = target.clientId ? ", or the client's consent or permission level keeps this alert from the therapist" : '';
    lines.push(out.color.yellow(`Nothing was queued: no endpoint of ${audience} is subscribed to ${result.event}${why}.`));
    return lines.join('\n');
  }
  if (deliveries) lines.push(deliveryLines(out, deliveries));
  else lines.push(...result.delivery_ids.map((id) => `  ${id}  queued`));
  return lines.join('\n');
}

/** `careos webhooks trigger <event>`: the sandbox trigger (admin). */
export function register(program: Command): void {
  const command = noun(program, 'webhooks')
    .command('trigger')
    .argument('<event>', WEBHOOK_EVENT_TYPES.join(' | '), event)
    .description('Sandbox: emit an event to every endpoint subscribed to it, then report each delivery’s first attempt (admin)')
    .option('--client <id>', 'alert and consent events: the client it is about (alert events then raise a real alert)')
    .option('--therapist <id>', 'integration events: whose endpoints receive it (default: CAREOS_THERAPIST_ID or the stored therapist id)')
    .option('--partner <platform>', 'payment.paid: the lead partner (default: CAREOS_PLATFORM or the stored platform)')
    .option('--no-wait', 'print the queued delivery ids without waiting for their first attempt')
    .option('--timeout <seconds>', 'how long to wait for the first attempts', integerBetween(1, 300), 15)
    .option('--json', 'print the trigger response, plus each delivery as retrieved after waiting, as JSON');
  addSettingOptions(command, ADMIN_SETTINGS);
  command.addHelpText(
    'after',
    [
      '',
      `Without --client, an alert event (${ALERT_EVENTS.join(', ')}) is raised about the therapist's first consented client at`,
      'STANDARD permission or above, looked up with the integration credentials (flags are not needed when they are stored);',
      'without those, the sandbox sends a sample marked metadata.sample. consent.revoked without --client is always a sample.',
      'The exit code is 0 once the event is queued, whatever its deliveries do: their state is printed.',
      '',
      'Examples:',
      '  careos webhooks trigger alert.critical',
      '  careos webhooks trigger milestone.achieved --therapist 550e8400-e29b-41d4-a716-446655440000 --client cli_…',
      '  careos webhooks trigger payment.paid --partner businessos --json',
    ].join('\n'),
  );
  command.action(async (name: WebhookEventType, options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(TRIGGER_SETTINGS, options);
    await requireSettings(settings, ['email', 'password']);
    const target = await chooseTarget(name, options, settings);
    const { adminClient } = await import('../../lib/clients.js');
    const admin: CareOS = adminClient(settings);
    try {
      const result = await admin.admin.webhooks.trigger({
        event: name,
        ...(target.therapistId ? { therapist_id: target.therapistId } : {}),
        ...(target.clientId ? { client_id: target.clientId } : {}),
        ...(target.partner ? { partner: target.partner } : {}),
      });
      const deliveries = options.wait && result.delivery_ids.length > 0 ? await waitForAttempts(admin, result.delivery_ids, options.timeout * 1000) : null;
      out.data({ ...result, ...(target.clientId ? { client_id: target.clientId } : {}), ...(deliveries ? { deliveries } : {}) }, () => render(out, result, target, deliveries));
    } finally {
      await admin.close();
    }
  });
}
