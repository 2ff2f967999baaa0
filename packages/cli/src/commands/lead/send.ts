import { readFileSync, writeFileSync } from 'node:fs';
import { buildLeadRequest, type CareOS, type LeadIngestParams } from '@careos/sdk';
import { type Command, InvalidArgumentError } from 'commander';
import { type BulkItem, sendBulk } from '../../lib/bulk-send.js';
import { PARTNER_SETTINGS, partnerClient, requireSettings } from '../../lib/clients.js';
import { CliError, ExitCode, ExitStatus } from '../../lib/exit-codes.js';
import { conversationId, isBulkFile, leadFromFlags, parseLead, type LeadFlags } from '../../lib/lead-input.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, keyValues, type Output } from '../../lib/output.js';
import { ProgressBar } from '../../lib/progress.js';
import { fillMissing } from '../../lib/prompts.js';
import { addSettingOptions, resolveSettings, type ResolvedSettings } from '../../lib/settings.js';

interface Options extends LeadFlags {
  file?: string;
  concurrency: number;
  failures?: string;
  dryRun?: boolean;
  json?: boolean;
  [setting: string]: unknown;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('must be an integer from 1 to 256');
  return n;
}

/** Sends one lead and reports whether CareOS replayed an earlier send of it. */
async function sendOne(client: CareOS, lead: LeadIngestParams) {
  const { data, response } = await client.leads.ingest(lead).withResponse();
  return { data, replayed: response.headers['idempotent-replayed'] === 'true', requestId: response.requestId };
}

/** Masks a secret for display: enough to recognise it, not to use it. */
function maskSecret(value: string): string {
  return value.length <= 12 ? '••••' : `${value.slice(0, value.lastIndexOf('_') + 1 || 4)}••••${value.slice(-4)}`;
}

function dryRun(out: Output, settings: ResolvedSettings, lead: LeadIngestParams): void {
  const v = settings.values;
  const { body, headers } = buildLeadRequest(lead, { publicKey: v.publicKey, phoneHashSalt: v.salt, platform: v.platform });
  const url = new URL('/api/leads/ingest', v.apiUrl ?? 'https://api.careos.app').toString();
  const allHeaders = { 'content-type': 'application/json', 'x-api-key': maskSecret(v.apiKey ?? ''), 'x-platform': v.platform ?? '', ...headers, 'idempotency-key': '<generated per send>' };
  out.data({ method: 'POST', url, headers: allHeaders, body }, () =>
    [`POST ${url}`, ...Object.entries(allHeaders).map(([k, val]) => `${k}: ${val}`), '', JSON.stringify(body, null, 2), '', out.color.dim('(dry run: nothing was sent; the API key is masked)')].join('\n'),
  );
}

async function single(out: Output, client: CareOS, lead: LeadIngestParams): Promise<void> {
  const { data, replayed, requestId } = await sendOne(client, lead);
  out.data({ ...data, replayed, request_id: requestId ?? null }, () =>
    [
      replayed ? out.color.yellow('Replayed: CareOS already had this lead; nothing new was created') : out.color.green('Lead sent'),
      keyValues(out.color, [
        ['Lead', data.careos_lead_id],
        ['User', `${data.careos_user_id}${data.is_new_user ? ' (new)' : ' (existing)'}`],
        ['CareOS will contact', data.careos_will_contact ? 'yes' : 'no'],
        ['Request id', requestId],
      ]),
    ].join('\n'),
  );
}

async function bulk(out: Output, client: CareOS, file: string, options: Options): Promise<number> {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const items: BulkItem[] = lines.flatMap((raw, i) => (raw.trim() === '' ? [] : [{ line: i + 1, raw }]));
  const failuresPath = options.failures ?? file.replace(/(\.(jsonl|ndjson))?$/i, '.failed.jsonl');
  const bar = !out.jsonMode && process.stderr.isTTY ? new ProgressBar(items.length) : undefined;
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once('SIGINT', onInterrupt);
  let result;
  try {
    result = await sendBulk(items, {
      concurrency: options.concurrency,
      signal: stop.signal,
      conversationIdOf: (item) => {
        try {
          return conversationId(JSON.parse(item.raw));
        } catch {
          return '(invalid JSON)';
        }
      },
      send: async (item) => {
        const lead = parseLead(item.raw, `${file}:${item.line}`);
        const { data, replayed } = await sendOne(client, lead);
        return { leadId: data.careos_lead_id, replayed, conversationId: conversationId(lead) };
      },
      onOutcome: (outcome, tally) => {
        if (bar) bar.update(tally);
        else if (!out.jsonMode) out.line([outcome.status, outcome.conversationId, outcome.leadId ?? outcome.error].join('\t'));
      },
    });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  bar?.finish(result.tally);
  const failed = result.outcomes.filter((o) => o.status === 'failed');
  const byLine = new Map(items.map((item) => [item.line, item.raw]));
  const retry = [...failed.map((o) => byLine.get(o.line)!), ...result.unsent.map((item) => item.raw)];
  if (retry.length > 0) writeFileSync(failuresPath, `${retry.join('\n')}\n`, { mode: 0o600 });
  const summary = {
    file,
    total: items.length,
    ...result.tally,
    not_attempted: result.unsent.length,
    failures_file: retry.length > 0 ? failuresPath : null,
    failures: failed.map(({ line, conversationId: id, error }) => ({ line, source_conversation_id: id, error })),
  };
  out.data(summary, () =>
    [
      `${out.color.bold('Summary')}  sent ${summary.sent}  replayed ${summary.replayed}  failed ${summary.failed}${summary.not_attempted ? `  not attempted ${summary.not_attempted}` : ''}`,
      ...failed.map((f) => `  ${out.color.red('failed')} line ${f.line} ${f.conversationId}: ${f.error}`),
      ...(summary.failures_file ? [`Failed and unsent leads written to ${summary.failures_file}; send that file to resume.`] : []),
    ].join('\n'),
  );
  if (stop.signal.aborted) return ExitCode.INTERRUPTED;
  return retry.length > 0 ? ExitCode.PARTIAL : ExitCode.OK;
}

/** `careos lead send`: one lead from flags or a JSON file, or many from a JSONL file. */
export function register(program: Command): void {
  const command = noun(program, 'lead')
    .command('send')
    .description('Send a lead (phone encrypted and hashed locally) from flags, a lead.json, or a leads.jsonl for bulk')
    .option('--file <path>', 'lead.json (one lead) or leads.jsonl (one per line): the seed fields with a plain "phone"')
    .option('--conversation-id <id>', 'source_conversation_id (default: a new cli-<uuid>)')
    .option('--phone <phone>', "user's phone (E.164 or national; encrypted before sending)")
    .option('--name <name>', "user's name")
    .option('--language <code>', 'ISO language code', 'en')
    .option('--country <code>', 'ISO country code, e.g. US')
    .option('--state <code>', 'state or region code')
    .option('--city <city>', 'city')
    .option('--category <category>', "partner category, e.g. 'healthcare'")
    .option('--subcategory <subcategory>', "e.g. 'caregiver_hiring'")
    .option('--message <text>', "the user's original message")
    .option('--urgency <level>', 'low | medium | high')
    .option('--person <who>', 'person mentioned, e.g. mom')
    .option('--service-type <type>', 'service type, e.g. caregiver')
    .option('--condition <text>', 'condition mentioned')
    .option('--consent', 'the user consented to be contacted by CareOS (required)')
    .option('--consent-timestamp <iso>', 'when the user consented (default: now; pass it to resend the same lead)')
    .option('--value <usd>', 'lead value agreed, USD')
    .option('--concurrency <n>', 'bulk: leads in flight at once', positiveInt, 4)
    .option('--failures <path>', 'bulk: where to write failed and unsent leads (default <file>.failed.jsonl)')
    .option('--dry-run', 'print the exact request (phone encrypted) without sending')
    .option('--json', 'print the result as JSON');
  addSettingOptions(command, PARTNER_SETTINGS);
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(PARTNER_SETTINGS, options);
    await requireSettings(settings, options.dryRun ? ['platform', 'publicKey', 'salt'] : ['apiKey', 'platform', 'publicKey', 'salt']);

    if (options.file && isBulkFile(options.file)) {
      if (options.dryRun) throw new CliError('--dry-run takes one lead (flags or a .json file), not a .jsonl file', ExitCode.USAGE);
      const client = partnerClient(settings);
      let code: number;
      try {
        code = await bulk(out, client, options.file, options);
      } finally {
        await client.close();
      }
      if (code !== ExitCode.OK) throw new ExitStatus(code as ExitCode);
      return;
    }

    let lead: LeadIngestParams;
    if (options.file) {
      let text: string;
      try {
        text = readFileSync(options.file, 'utf8');
      } catch (error) {
        throw new CliError(`Cannot read ${options.file}: ${(error as Error).message}`, ExitCode.USAGE);
      }
      lead = parseLead(text, options.file);
    } else {
      const [phone, category, message, value] = await fillMissing([
        { flag: '--phone', message: "User's phone", value: options.phone },
        { flag: '--category', message: "Category (e.g. 'healthcare')", value: options.category },
        { flag: '--message', message: "User's original message", value: options.message },
        { flag: '--value', message: 'Lead value agreed (USD)', value: options.value },
      ]);
      lead = leadFromFlags({ ...options, phone, category, message, value }, new Date());
    }
    if (options.dryRun) return dryRun(out, settings, lead);
    const client = partnerClient(settings);
    try {
      await single(out, client, lead);
    } finally {
      await client.close();
    }
  });
}
