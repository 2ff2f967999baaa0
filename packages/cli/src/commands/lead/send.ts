import { readFileSync } from 'node:fs';
import type { CareOS, LeadIngestParams } from '@careos/sdk';
import { type Command, InvalidArgumentError } from 'commander';
import { PARTNER_SETTINGS, requireSettings } from '../../lib/required-settings.js';
import { CliError, ExitCode, ExitStatus } from '../../lib/exit-codes.js';
import { isBulkFile, leadFromFlags, parseLead, type LeadFlags } from '../../lib/lead-input.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, keyValues, type Output } from '../../lib/output.js';
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

async function single(out: Output, client: CareOS, lead: LeadIngestParams): Promise<void> {
  const { sendOneLead } = await import('../../lib/send-lead.js');
  const { data, replayed, requestId } = await sendOneLead(client, lead);
  out.data({ ...data, source_conversation_id: lead.source_conversation_id, replayed, request_id: requestId ?? null }, () =>
    [
      replayed ? out.color.yellow('Replayed: CareOS already had this lead; nothing new was created') : out.color.green('Lead sent'),
      keyValues(out.color, [
        ['Lead', data.careos_lead_id],
        ['User', `${data.careos_user_id}${data.is_new_user ? ' (new)' : ' (existing)'}`],
        ['Conversation id', lead.source_conversation_id],
        ['CareOS will contact', data.careos_will_contact ? 'yes' : 'no'],
        ['Request id', requestId],
      ]),
    ].join('\n'),
  );
}

/**
 * The lead the flags describe. Without `--conversation-id` its id is derived from its content, and
 * without `--consent-timestamp` a re-run reuses the consent time of the first run: running the
 * same command again (after a network error) is then a replay, never a second lead.
 */
async function leadOfFlags(options: Options, settings: ResolvedSettings): Promise<{ lead: LeadIngestParams; remember?: () => void }> {
  const [phone, category, message, value] = (await fillMissing([
    { flag: '--phone', message: "User's phone", value: options.phone },
    { flag: '--category', message: "Category (e.g. 'healthcare')", value: options.category },
    { flag: '--message', message: "User's original message", value: options.message },
    { flag: '--value', message: 'Lead value agreed (USD)', value: options.value },
  ])) as [string, string, string, string];
  const flags = { ...options, phone, category, message, value };
  if (options.conversationId) return { lead: leadFromFlags({ ...flags, conversationId: options.conversationId }, new Date()) };

  const { derivedConversationId } = await import('../../lib/lead-id.js');
  const id = derivedConversationId({ platform: settings.values.platform!, salt: settings.values.salt!, phone, country: options.country, category, message });
  const { rememberConsent, rememberedConsent } = await import('../../lib/lead-journal.js');
  const now = new Date();
  const consentTimestamp = options.consentTimestamp ?? rememberedConsent(id) ?? now.toISOString();
  const lead = leadFromFlags({ ...flags, conversationId: id, consentTimestamp }, now);
  return { lead, remember: options.consentTimestamp ? undefined : () => rememberConsent(id, consentTimestamp, now) };
}

/** `careos lead send`: one lead from flags or a JSON file, or many from a JSONL file or stdin. */
export function register(program: Command): void {
  const command = noun(program, 'lead')
    .command('send')
    .description('Send a lead (phone encrypted and hashed locally) from flags, a lead.json, or a leads.jsonl (or stdin) for bulk')
    .option('--file <path>', 'lead.json (one lead) or leads.jsonl (one per line; `-` reads them from stdin): the seed fields with a plain "phone"')
    .option('--conversation-id <id>', 'source_conversation_id (default: cli-<hash of platform, phone, category and message>, so a re-run replays)')
    .option('--phone <phone>', "user's phone (E.164, or national with --country; encrypted before sending)")
    .option('--name <name>', "user's name")
    .option('--language <code>', 'ISO language code', 'en')
    .option('--country <code>', 'ISO country code, e.g. US; also how a national --phone is read')
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
    .option('--consent-timestamp <iso>', 'when the user consented (default: now, reused when the same lead is sent again)')
    .option('--value <usd>', 'lead value agreed, USD')
    .option('--concurrency <n>', 'bulk: leads in flight at once', positiveInt, 4)
    .option('--failures <path>', 'bulk: where to write failed and unsent leads (default <name>.failed.jsonl beside the file; stdin.failed.jsonl for stdin)')
    .option('--dry-run', 'print the exact request (phone encrypted) without sending')
    .option('--json', 'print the result as JSON (bulk: one NDJSON line per lead, then a summary line)');
  addSettingOptions(command, PARTNER_SETTINGS);
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(PARTNER_SETTINGS, options);
    await requireSettings(settings, options.dryRun ? ['platform', 'publicKey', 'salt'] : ['apiKey', 'platform', 'publicKey', 'salt']);
    if (options.file && isBulkFile(options.file)) {
      if (options.dryRun) throw new CliError('--dry-run takes one lead (flags or a .json file), not a .jsonl file or stdin', ExitCode.USAGE);
      const { partnerClient } = await import('../../lib/clients.js');
      const { sendLeadFile } = await import('../../lib/bulk-leads.js');
      const code = await sendLeadFile(out, { file: options.file, concurrency: options.concurrency, failures: options.failures, client: (hooks) => partnerClient(settings, { hooks }) });
      if (code !== ExitCode.OK) throw new ExitStatus(code as ExitCode);
      return;
    }

    let lead: LeadIngestParams;
    let remember: (() => void) | undefined;
    const from = options.file ? 'file' : 'flags';
    if (options.file) {
      let text: string;
      try {
        text = readFileSync(options.file, 'utf8');
      } catch (error) {
        throw new CliError(`Cannot read ${options.file}: ${(error as Error).message}`, ExitCode.USAGE);
      }
      lead = parseLead(text, options.file);
    } else ({ lead, remember } = await leadOfFlags(options, settings));

    try {
      if (options.dryRun) {
        const { printDryRun } = await import('../../lib/lead-dry-run.js');
        return printDryRun(out, settings, lead);
      }
      const { partnerClient } = await import('../../lib/clients.js');
      const client = partnerClient(settings);
      try {
        remember?.();
        await single(out, client, lead);
      } finally {
        await client.close();
      }
    } catch (error) {
      const { asLeadError } = await import('../../lib/lead-errors.js');
      throw asLeadError(error, from);
    }
  });
}
