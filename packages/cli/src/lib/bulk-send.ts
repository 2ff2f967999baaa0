import { describeFailure } from './failure.js';
import type { Tally } from './progress.js';

/** One line of a bulk file. */
export interface BulkItem {
  /** 1-based line number in the file. */
  line: number;
  /** The line as it was, so failures can be written back out verbatim. */
  raw: string;
}

/** What happened to one item. */
export interface BulkOutcome {
  line: number;
  conversationId: string;
  status: 'sent' | 'replayed' | 'failed';
  leadId?: string;
  error?: string;
}

/** Options of {@link sendBulk}. */
export interface BulkOptions {
  concurrency: number;
  /** Sends one item; resolves with the lead id and whether CareOS replayed an earlier send. */
  send(item: BulkItem): Promise<{ leadId: string; replayed: boolean; conversationId: string }>;
  /** Names the item in outcomes when `send` failed before knowing it. */
  conversationIdOf(item: BulkItem): string;
  onOutcome?(outcome: BulkOutcome, tally: Tally): void;
  /** Stops scheduling new items (in-flight ones finish). */
  signal?: AbortSignal;
}

/** Result of a bulk run: every outcome, plus the items never started (after an interrupt). */
export interface BulkResult {
  outcomes: BulkOutcome[];
  tally: Tally;
  unsent: BulkItem[];
}

/**
 * Sends items with at most `concurrency` in flight. A failure never stops the run: it is
 * recorded and the next item goes. Re-running the same file is safe because CareOS replays a
 * lead it already has (same `source_conversation_id`) instead of creating it again.
 */
export async function sendBulk(items: readonly BulkItem[], options: BulkOptions): Promise<BulkResult> {
  const tally: Tally = { sent: 0, replayed: 0, failed: 0 };
  const outcomes: BulkOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && !options.signal?.aborted) {
      const item = items[next++]!;
      let outcome: BulkOutcome;
      try {
        const result = await options.send(item);
        outcome = { line: item.line, conversationId: result.conversationId, status: result.replayed ? 'replayed' : 'sent', leadId: result.leadId };
      } catch (error) {
        outcome = { line: item.line, conversationId: options.conversationIdOf(item), status: 'failed', error: describeFailure(error).message };
      }
      tally[outcome.status]++;
      outcomes.push(outcome);
      options.onOutcome?.(outcome, tally);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, worker));
  outcomes.sort((a, b) => a.line - b.line);
  return { outcomes, tally, unsent: items.slice(next) };
}
