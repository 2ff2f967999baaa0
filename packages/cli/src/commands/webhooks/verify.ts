import { readFileSync } from 'node:fs';
import { verifyWebhook, WebhookVerificationError, type VerifiedWebhook, type WebhookErrorCode } from '@careos/webhook-verifier';
import { type Command, InvalidArgumentError } from 'commander';
import { requireSettings } from '../../lib/required-settings.js';
import { CliError, ExitCode, ExitStatus } from '../../lib/exit-codes.js';
import { mergeHeaders, parseHeadersFile, type HeaderMap } from '../../lib/header-input.js';
import { noun } from '../../lib/nouns.js';
import { collect } from '../../lib/option-parsers.js';
import { createOutput, type Output } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

interface Options {
  secret?: string[];
  body: string;
  header?: string[];
  headersFile?: string;
  legacy?: boolean;
  tolerance?: number;
  json?: boolean;
  [setting: string]: unknown;
}

/** Codes that describe the secret given, not the delivery: a usage problem, not a verdict. */
const SECRET_CODES: readonly WebhookErrorCode[] = ['INVALID_SECRET', 'SECRET_WHITESPACE', 'SECRET_HAS_V1_PREFIX'];

function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number of seconds, 0 or more');
  return n;
}

function readInput(path: string, what: string): Buffer {
  try {
    // `-` is stdin (fd 0); the bytes are kept as they are, since a re-encoded body no longer verifies.
    return readFileSync(path === '-' ? 0 : path);
  } catch (error) {
    throw new CliError(`Cannot read ${what} ${path === '-' ? 'from stdin' : path}: ${(error as Error).message}`, ExitCode.USAGE);
  }
}

function renderValid(out: Output, v: VerifiedWebhook): string {
  return `${out.color.green('✓ valid')}  ${v.type ?? '(no event type)'}  ${v.id ?? '(legacy: no webhook-id)'}  ${out.color.dim(`${v.scheme} scheme, signed ${v.timestamp.toISOString()}`)}`;
}

/** `careos webhooks verify`: checks one delivery as a receiver would, with `@careos/webhook-verifier`. */
export function register(program: Command): void {
  const command = noun(program, 'webhooks')
    .command('verify')
    .description('Check a webhook delivery (raw body and headers) against a signing secret, as a receiver would')
    .requiredOption('--body <file>', 'the raw body exactly as received; - reads stdin')
    .option('--header <line>', "a header, 'name: value' (repeatable)", collect)
    .option('--headers-file <file>', 'headers as raw HTTP header lines (a capture, curl -v) or a JSON object')
    .option('--secret <whsec>', 'signing secret (repeatable, e.g. old and new during a rotation); default --webhook-secret', collect)
    .option('--legacy', 'check the legacy X-CareOS-Signature (or X-LoveRescue-Signature) scheme instead of Standard Webhooks')
    .option('--tolerance <seconds>', 'how far the signed timestamp may be from now (default 300)', seconds)
    .option('--json', 'print the verdict as JSON');
  addSettingOptions(command, ['webhookSecret']);
  command.addHelpText(
    'after',
    [
      '',
      'Exit codes: 0 valid, 1 invalid (the verifier says why: its code and message), 2 usage (including a secret',
      'that is not a whsec_ secret, since that says nothing about the delivery).',
      '',
      'Examples:',
      "  careos webhooks verify --body body.json --headers-file headers.txt",
      "  careos webhooks verify --body - --header 'webhook-id: msg_…' --header 'webhook-timestamp: 1767225600' \\",
      "    --header 'webhook-signature: v1,…' --secret whsec_… < body.json",
    ].join('\n'),
  );
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    let secrets = options.secret ?? [];
    if (secrets.length === 0) {
      const settings = await resolveSettings(['webhookSecret'], options);
      await requireSettings(settings, ['webhookSecret']);
      secrets = [settings.values.webhookSecret!];
    }
    const fromFile: HeaderMap = options.headersFile ? parseHeadersFile(readInput(options.headersFile, 'headers').toString('utf8'), options.headersFile) : {};
    const headers = mergeHeaders(fromFile, options.header ?? []);
    const body = readInput(options.body, 'the body');
    const scheme = options.legacy ? 'legacy' : 'standard';
    let verified: VerifiedWebhook;
    try {
      verified = verifyWebhook(body, headers, secrets, { scheme, ...(options.tolerance !== undefined ? { toleranceSeconds: options.tolerance } : {}) });
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      const usage = SECRET_CODES.includes(error.code);
      out.data({ valid: false, scheme, code: error.code, message: error.message }, () => `${out.color.red('✗ invalid')}  ${error.code}: ${error.message}`);
      throw new ExitStatus(usage ? ExitCode.USAGE : ExitCode.FAILURE);
    }
    out.data(
      { valid: true, scheme: verified.scheme, type: verified.type ?? null, id: verified.id ?? null, timestamp: verified.timestamp.toISOString() },
      () => renderValid(out, verified),
    );
  });
}
