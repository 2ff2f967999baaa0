import { INTEGRATION_WEBHOOK_EVENTS, PARTNER_WEBHOOK_EVENTS, type WebhookEventType } from '@careos/contract';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { INTEGRATION_CREDENTIALS, requireSettings } from '../../lib/required-settings.js';
import { CliError, ExitCode } from '../../lib/exit-codes.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, type Output } from '../../lib/output.js';
import { addSettingOptions, resolveSettings, type ResolvedSettings, type SettingName } from '../../lib/settings.js';
import { startWebhookReceiver, type DeliveryReport } from '../../lib/webhook-receiver.js';

type Owner = 'integration' | 'partner';

interface Options {
  port: number;
  host: string;
  path: string;
  forwardTo?: URL;
  events?: WebhookEventType[];
  as?: Owner;
  printSecret?: boolean;
  printBody?: boolean;
  keep?: boolean;
  json?: boolean;
  [setting: string]: unknown;
}

const LISTEN_SETTINGS = ['apiUrl', 'integrationKey', 'integrationSecret', 'therapistId', 'apiKey', 'platform'] as const satisfies readonly SettingName[];
const PARTNER_CREDENTIALS = ['apiKey', 'platform'] as const satisfies readonly SettingName[];
const ALL_EVENTS: readonly string[] = [...INTEGRATION_WEBHOOK_EVENTS, ...PARTNER_WEBHOOK_EVENTS];

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return n;
}

function path(value: string): string {
  if (!value.startsWith('/') || /[?#\s]/.test(value)) throw new InvalidArgumentError('must be a path starting with /, without a query');
  return value;
}

function forwardUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('must be an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('must be an http:// or https:// URL');
  return url;
}

function eventList(value: string): WebhookEventType[] {
  const events = [...new Set(value.split(',').map((e) => e.trim()).filter(Boolean))];
  const unknown = events.filter((e) => !ALL_EVENTS.includes(e));
  if (events.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`must be a comma-separated list of ${ALL_EVENTS.join(', ')}`);
  return events as WebhookEventType[];
}

const complete = (settings: ResolvedSettings, names: readonly SettingName[]) => names.every((name) => settings.values[name] !== undefined);

/**
 * Who registers the endpoint. Asked for (`--as`), else implied by `--events` (`payment.paid` is
 * a lead partner's event, the rest a therapist's), else whichever credentials are complete,
 * integration first: this command is mostly for the integration's alerts.
 */
function chooseOwner(options: Options, settings: ResolvedSettings): Owner {
  const partnerEvents: readonly string[] = PARTNER_WEBHOOK_EVENTS;
  if (options.events) {
    const forPartner = options.events.filter((e) => partnerEvents.includes(e));
    if (forPartner.length > 0 && forPartner.length < options.events.length) {
      throw new CliError(`--events mixes a lead partner's events (${PARTNER_WEBHOOK_EVENTS.join(', ')}) with a therapist's; run one listener for each`, ExitCode.USAGE);
    }
    const implied: Owner = forPartner.length > 0 ? 'partner' : 'integration';
    if (options.as && options.as !== implied) throw new CliError(`--as ${options.as} cannot subscribe to ${options.events.join(', ')}`, ExitCode.USAGE);
    return implied;
  }
  if (options.as) return options.as;
  if (complete(settings, INTEGRATION_CREDENTIALS)) return 'integration';
  if (complete(settings, PARTNER_CREDENTIALS)) return 'partner';
  return 'integration';
}

/**
 * How long removing the endpoint at stop may take. A stopped listener must exit promptly even when
 * CareOS is unreachable; the endpoint then stays behind, which the warning says.
 */
const REMOVE_TIMEOUT_MS = 5_000;

interface Registration {
  secret: string;
  events: string[];
  endpointId: string;
  therapistId: string | null;
  platform: string | null;
}

async function registerEndpoint(owner: Owner, settings: ResolvedSettings, url: string, events: WebhookEventType[] | undefined): Promise<Registration> {
  const { integrationClient, partnerClient } = await import('../../lib/clients.js');
  if (owner === 'integration') {
    await requireSettings(settings, INTEGRATION_CREDENTIALS);
    // The token is needed once, here; a listener running for days never calls the API again.
    const client = integrationClient(settings);
    try {
      const registered = await client.webhooks.register({ webhookUrl: url, events: (events ?? [...INTEGRATION_WEBHOOK_EVENTS]) as (typeof INTEGRATION_WEBHOOK_EVENTS)[number][] });
      return { secret: registered.webhookSecret, events: registered.events, endpointId: registered.webhookId, therapistId: settings.values.therapistId!, platform: null };
    } finally {
      await client.close();
    }
  }
  await requireSettings(settings, PARTNER_CREDENTIALS);
  const client = partnerClient(settings);
  try {
    const created = await client.partner.webhooks.create({ url, events: (events ?? [...PARTNER_WEBHOOK_EVENTS]) as (typeof PARTNER_WEBHOOK_EVENTS)[number][] });
    return { secret: created.secret, events: created.webhook.events, endpointId: created.webhook.id, therapistId: null, platform: settings.values.platform! };
  } finally {
    await client.close();
  }
}

/**
 * Removes the endpoint this listener registered, with the credentials that registered it, so
 * CareOS stops retrying deliveries to a receiver that is gone. Resolves with the reason when it
 * could not: stopping must not fail because the clean-up did.
 */
async function removeEndpoint(owner: Owner, settings: ResolvedSettings, endpointId: string): Promise<string | null> {
  // No retries and one budget for the whole call, the token exchange included.
  const bounded = { timeout: REMOVE_TIMEOUT_MS, deadline: REMOVE_TIMEOUT_MS, maxRetries: 0 };
  const signal = AbortSignal.timeout(REMOVE_TIMEOUT_MS);
  const { integrationClient, partnerClient } = await import('../../lib/clients.js');
  if (owner === 'integration') {
    const client = integrationClient(settings, bounded);
    try {
      await client.webhooks.remove(endpointId, { signal });
      return null;
    } catch (error) {
      return (error as Error).message;
    } finally {
      await client.close();
    }
  }
  const client = partnerClient(settings, bounded);
  try {
    await client.partner.webhooks.remove(endpointId, { signal });
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.close();
  }
}

function deliveryLine(out: Output, r: DeliveryReport): string {
  const verdict = r.verified ? out.color.green('✓ verified') : out.color.red(`✗ ${r.code}: ${r.reason}`);
  const forward = r.forward ? ('status' in r.forward ? ` → ${r.forward.status} ${r.forward.url}` : ` → ${out.color.red(`forward failed: ${r.forward.error}`)}`) : '';
  const line = `${r.time}  ${(r.event ?? '?').padEnd(18)}  ${r.webhookId ?? '(no webhook-id)'}  ${verdict}  ${out.color.dim(`answered ${r.status}`)}${forward}`;
  if (r.body === undefined) return line;
  return `${line}\n${typeof r.body === 'string' ? r.body : JSON.stringify(r.body, null, 2)}`;
}

/** Resolves on the first SIGINT or SIGTERM: stopping is how a listener ends, so it is not a failure. */
function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `careos webhooks listen`: a local receiver that registers itself with CareOS and verifies every delivery. */
export function register(program: Command): void {
  const command = noun(program, 'webhooks')
    .command('listen')
    .description('Start a local webhook receiver, register it with CareOS, and print (and optionally forward) every delivery, verified')
    .requiredOption('--port <port>', 'port to listen on (0 picks a free one, printed at start)', port)
    .option('--host <host>', 'interface to bind; also the host in the registered URL', '127.0.0.1')
    .option('--path <path>', 'path deliveries are POSTed to', path, '/webhooks')
    .option('--forward-to <url>', 'forward each verified delivery (raw body, headers but hop-by-hop) to this URL and answer with its status', forwardUrl)
    .option('--events <list>', `comma-separated events (default: every event of the registering side): ${ALL_EVENTS.join(', ')}`, eventList)
    .addOption(new Option('--as <side>', 'register with the integration credentials or the lead partner key (default: see below)').choices(['integration', 'partner']))
    .option('--print-secret', 'print the signing secret at start (it is otherwise only held in memory)')
    .option('--print-body', 'print each delivery’s body too (it may carry client details)')
    .option('--keep', 'leave the endpoint registered when the listener stops (by default it is removed)')
    .option('--json', 'one JSON object per line: a "listening" line, one "delivery" line per request, a "stopped" line');
  addSettingOptions(command, LISTEN_SETTINGS);
  command.addHelpText(
    'after',
    [
      '',
      'Registers http://<host>:<port><path> through the integration API (therapist alerts: alert.created, alert.critical,',
      'milestone.achieved, consent.revoked) with --integration-key/--integration-secret/--therapist-id, or through the',
      'partner API (payment.paid) with --api-key/--platform. Without --as, --events decides, else whichever credentials are',
      'complete (integration first). The signing secret CareOS returns is kept in memory and verifies every delivery',
      '(Standard Webhooks headers, 5 minute tolerance): verified ones are answered 204 (or forwarded, and answered with the',
      "target's status; 502/504 when the target fails), the rest 400 with the verifier's code, and never forwarded.",
      'Registering the same URL again issues a new secret, so a restarted listener on the same port picks up retries.',
      'On Ctrl-C or SIGTERM the endpoint is removed (within 5 s; if that fails a warning is printed), so CareOS stops',
      'retrying deliveries to it; --keep leaves it registered. Then the listener exits 0.',
      '',
      'Examples:',
      '  careos webhooks listen --port 4000',
      '  careos webhooks listen --port 0 --forward-to http://127.0.0.1:3001/webhooks/careos --events alert.critical',
      '  careos webhooks listen --port 4000 --as partner --env keys/partner.env --json',
    ].join('\n'),
  );
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(LISTEN_SETTINGS, options);
    const owner = chooseOwner(options, settings);
    const counts = { received: 0, verified: 0 };
    const receiver = await startWebhookReceiver({
      host: options.host,
      port: options.port,
      path: options.path,
      ...(options.forwardTo ? { forwardTo: options.forwardTo } : {}),
      keepBody: options.printBody === true,
      onDelivery(report) {
        counts.received++;
        if (report.verified) counts.verified++;
        // One line per delivery, written at once, so `| grep` and `| jq` see whole records.
        process.stdout.write(`${options.json ? JSON.stringify({ kind: 'delivery', ...report }) : deliveryLine(out, report)}\n`);
      },
    }).catch((error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the port is in use' : error.code === 'EADDRNOTAVAIL' ? 'no such local address' : error.message;
      throw new CliError(`Cannot listen on ${options.host}:${options.port}: ${reason}`, ExitCode.USAGE);
    });

    let registration: Registration;
    try {
      registration = await registerEndpoint(owner, settings, receiver.url, options.events);
    } catch (error) {
      await receiver.close();
      throw error;
    }
    receiver.setSecret(registration.secret);
    // Until here a Ctrl-C ends the process the default way; from here it ends the listener cleanly.
    const stopped = untilStopped();

    const listening = {
      kind: 'listening',
      url: receiver.url,
      port: receiver.port,
      registeredAs: owner,
      ...(registration.therapistId ? { therapistId: registration.therapistId } : {}),
      ...(registration.platform ? { platform: registration.platform } : {}),
      endpointId: registration.endpointId,
      events: registration.events,
      forwardTo: options.forwardTo?.href ?? null,
      ...(options.printSecret ? { secret: registration.secret } : {}),
    };
    if (options.json) process.stdout.write(`${JSON.stringify(listening)}\n`);
    else {
      const who = owner === 'integration' ? `therapist ${registration.therapistId}` : `partner ${registration.platform}`;
      const lines = [
        out.color.green(`Listening on ${receiver.url}`),
        `Registered with CareOS for ${who} as ${registration.endpointId}: ${registration.events.join(', ')}`,
        options.printSecret ? `Signing secret: ${registration.secret}` : out.color.dim('Signing secret held in memory (--print-secret shows it)'),
        ...(options.forwardTo ? [`Forwarding verified deliveries to ${options.forwardTo.href}`] : []),
        out.color.dim('Ctrl-C to stop.'),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }

    await stopped;
    await receiver.close();
    const removeError = options.keep ? null : await removeEndpoint(owner, settings, registration.endpointId);
    const removed = !options.keep && removeError === null;
    if (removeError !== null) out.warn(`Could not remove endpoint ${registration.endpointId}: ${removeError}. It stays registered; remove it with the API.`);
    if (options.json) process.stdout.write(`${JSON.stringify({ kind: 'stopped', ...counts, endpointId: registration.endpointId, removed })}\n`);
    else {
      const fate = removed
        ? `Removed endpoint ${registration.endpointId}; CareOS sends nothing more to it.`
        : `The endpoint ${registration.endpointId} stays registered; CareOS retries what it could not deliver.`;
      out.note(`Stopped after ${counts.received} delivery request(s), ${counts.verified} verified. ${fate}`);
    }
  });
}
