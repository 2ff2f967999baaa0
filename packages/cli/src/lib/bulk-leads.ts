import { createWriteStream, type WriteStream } from 'node:fs';
import type { CareOS, Hooks, LeadIngestParams } from '@careos/sdk';
import { RequestValidationError } from '@careos/sdk';
import { type BulkOutcome, sendBulk } from './bulk-send.js';
import { isStdoutClosed, watchStdoutClosed } from './closed-output.js';
import { ExitCode } from './exit-codes.js';
import { leadValidationError } from './lead-errors.js';
import { conversationId, parseLead } from './lead-input.js';
import { openLineInput } from './line-input.js';
import { sendOneLead } from './send-lead.js';
import type { Output } from './output.js';
import { ProgressBar, type Tally } from './progress.js';

/** Options of {@link sendLeadFile}. */
export interface BulkLeadOptions {
  /** A `.jsonl` / `.ndjson` path, or `-` for stdin. */
  file: string;
  concurrency: number;
  /** Where failed and unsent lines go; default `<name>.failed.jsonl` beside the file, `stdin.failed.jsonl` for stdin. */
  failures?: string;
  /** Builds the client with the hooks the run needs (rate-limit notices). */
  client(hooks: Hooks): CareOS;
}

/** Why a run stopped before the end of its input. */
type StopReason = 'interrupted' | 'output_closed';

const LISTED_FAILURES = 20;

/** The default failures file of an input. */
export function defaultFailuresPath(file: string): string {
  return file === '-' ? 'stdin.failed.jsonl' : file.replace(/(\.(jsonl|ndjson))?$/i, '.failed.jsonl');
}


/**
 * Sends every lead of a JSONL file or of stdin, streaming: lines are read as slots free up.
 *
 * Output is line-oriented: stdout gets one line per lead as it finishes (tab-separated, or one
 * NDJSON object with `--json`), stderr gets the progress (on a terminal), rate-limit notices
 * and the summary. Failed lines, and every line not sent because the run stopped, are copied
 * verbatim to the failures file, so sending that file resumes the run.
 *
 * The run stops early on Ctrl-C (exit 130) or when stdout's reader goes away (`| head`, exit
 * 141): leads in flight finish, no new lead is sent, and the rest of the input goes to the
 * failures file. Stopping rather than finishing keeps a run from sending leads whose results
 * nobody can read any more; resuming from the failures file is safe because CareOS replays what
 * it already has.
 *
 * @returns the exit code
 */
export async function sendLeadFile(out: Output, options: BulkLeadOptions): Promise<number> {
  const input = await openLineInput(options.file);
  const failuresPath = options.failures ?? defaultFailuresPath(options.file);
  const where = options.file === '-' ? 'stdin' : options.file;
  const bar = process.stderr.isTTY ? new ProgressBar(await input.count()) : undefined;

  let failuresFile: WriteStream | undefined;
  let failuresWritten = 0;
  const keep = (raw: string) => {
    failuresFile ??= createWriteStream(failuresPath, { mode: 0o600 });
    failuresFile.write(`${raw}\n`);
    failuresWritten++;
  };

  const stop = new AbortController();
  let stopReason: StopReason | undefined;
  const stopWith = (reason: StopReason) => {
    if (stopReason) return;
    stopReason = reason;
    stop.abort();
  };
  const onInterrupt = () => {
    if (stopReason === 'interrupted') {
      // A second Ctrl-C means now: what was not read yet is not saved.
      process.stderr.write(`\ncareos: interrupted again; lines of ${where} not read yet are not in ${failuresPath}\n`);
      process.exit(ExitCode.INTERRUPTED);
    }
    stopWith('interrupted');
  };
  process.on('SIGINT', onInterrupt);
  const unwatch = watchStdoutClosed(() => stopWith('output_closed'));

  let waitingUntil = 0;
  const hooks: Hooks = {
    onAttempt(info) {
      if (info.status !== 429 || !info.willRetry || info.retryDelayMs === undefined) return;
      if (bar) return bar.rateLimited(info.retryDelayMs);
      // Piped: one line per wait, not one per request waiting.
      const until = Date.now() + info.retryDelayMs;
      if (until <= waitingUntil + 1000) return;
      waitingUntil = until;
      out.note(`careos: rate limited by CareOS (429); resuming in ${Math.ceil(info.retryDelayMs / 1000)} s`);
    },
  };
  const client = options.client(hooks);

  const failures: BulkOutcome[] = [];
  const raws = new Map<number, string>();
  let result;
  try {
    result = await sendBulk(input.items, {
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
        raws.set(item.line, item.raw);
        let lead;
        try {
          lead = parseLead(item.raw, `${where}:${item.line}`);
        } catch (error) {
          throw Object.assign(error as Error, { code: 'INVALID_JSON' });
        }
        try {
          const { data, replayed } = await sendOneLead(client, lead);
          return { leadId: data.careos_lead_id, replayed, conversationId: conversationId(lead) };
        } catch (error) {
          // Refused before sending, with the same code the API would have answered.
          throw error instanceof RequestValidationError ? Object.assign(leadValidationError(error, 'file'), { code: 'VALIDATION_FAILED' }) : error;
        }
      },
      onOutcome: (outcome, tally) => {
        const raw = raws.get(outcome.line);
        raws.delete(outcome.line);
        if (outcome.status === 'failed') {
          keep(raw ?? '');
          if (failures.length < LISTED_FAILURES) failures.push(outcome);
        }
        printOutcome(out, bar, outcome);
        bar?.update(tally);
      },
      onUnsent: (item) => keep(item.raw),
    });
  } finally {
    process.off('SIGINT', onInterrupt);
    unwatch();
    await client.close();
    if (failuresFile) await new Promise((resolve) => failuresFile!.end(resolve));
  }
  bar?.finish(result.tally);

  const summary = {
    type: 'summary' as const,
    file: options.file,
    total: result.tally.sent + result.tally.replayed + result.tally.failed + result.notAttempted,
    ...result.tally,
    not_attempted: result.notAttempted,
    stopped: stopReason ?? null,
    failures_file: failuresWritten > 0 ? failuresPath : null,
  };
  out.note(renderSummary(out, summary, failures));
  if (out.jsonMode && !isStdoutClosed()) process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (stopReason === 'output_closed') return ExitCode.OUTPUT_CLOSED;
  if (stopReason === 'interrupted') return ExitCode.INTERRUPTED;
  return failuresWritten > 0 ? ExitCode.PARTIAL : ExitCode.OK;
}

/** One line per finished lead on stdout; above the progress line when both share a terminal. */
function printOutcome(out: Output, bar: ProgressBar | undefined, outcome: BulkOutcome): void {
  if (isStdoutClosed()) return;
  const text = out.jsonMode
    ? JSON.stringify({
        type: 'lead',
        line: outcome.line,
        status: outcome.status,
        source_conversation_id: outcome.conversationId,
        ...(outcome.leadId ? { careos_lead_id: outcome.leadId } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
        ...(outcome.code ? { code: outcome.code } : {}),
      })
    : [outcome.status, outcome.line, outcome.conversationId, outcome.leadId ?? outcome.error].join('\t');
  if (bar && process.stdout.isTTY) bar.clear();
  process.stdout.write(`${text}\n`);
}

function renderSummary(out: Output, s: { total: number; not_attempted: number; stopped: StopReason | null; failures_file: string | null } & Tally, failures: BulkOutcome[]): string {
  const c = out.color;
  const lines = [`${c.bold('Summary')}  sent ${s.sent}  replayed ${s.replayed}  failed ${s.failed}${s.not_attempted ? `  not sent ${s.not_attempted}` : ''}`];
  for (const f of failures) lines.push(`  ${c.red('failed')} line ${f.line} ${f.conversationId}: ${f.error}`);
  if (s.failed > failures.length) lines.push(`  … and ${s.failed - failures.length} more`);
  if (s.stopped === 'output_closed') lines.push(c.yellow('Stopped early: the output was closed, so no further lead was sent.'));
  if (s.stopped === 'interrupted') lines.push(c.yellow('Stopped early: interrupted.'));
  if (s.failures_file) lines.push(`Failed and unsent leads written to ${s.failures_file}; send that file to resume.`);
  return lines.join('\n');
}
