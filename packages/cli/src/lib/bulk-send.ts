import { setImmediate } from 'node:timers/promises';
import { APIError } from '@careos/sdk';
import { describeFailure } from './failure.js';
import type { Tally } from './progress.js';

/** One line of a bulk file. */
export interface BulkItem {
  /** 1-based line number in the input. */
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
  /** The API's error code (`VALIDATION_FAILED`, `RATE_LIMITED`...), when the API refused it. */
  code?: string;
}

/** An error code a sender attached to a client-side refusal (`INVALID_JSON`, `VALIDATION_FAILED`). */
function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Options of {@link sendBulk}. */
export interface BulkOptions {
  concurrency: number;
  /** Sends one item; resolves with the lead id and whether CareOS replayed an earlier send. */
  send(item: BulkItem): Promise<{ leadId: string; replayed: boolean; conversationId: string }>;
  /** Names the item in outcomes when `send` failed before knowing it. */
  conversationIdOf(item: BulkItem): string;
  /** Each finished item, in the order they finish. */
  onOutcome?(outcome: BulkOutcome, tally: Tally): void;
  /** Each item read after the run was stopped: it was not sent. */
  onUnsent?(item: BulkItem): void;
  /** Stops starting new items; in-flight ones finish, and the rest of the input is still read and reported unsent. */
  signal?: AbortSignal;
}

/** Result of a bulk run. */
export interface BulkResult {
  tally: Tally;
  /** Items read but never started (the run was stopped). */
  notAttempted: number;
}

/**
 * Sends items as they are read, with at most `concurrency` in flight: the input is never held
 * whole, and reading waits while every slot is busy. A failure never stops the run: it is
 * reported and the next item goes. Re-running the same input is safe because CareOS replays a
 * lead it already has (same `source_conversation_id`) instead of creating it again.
 */
export async function sendBulk(items: AsyncIterable<BulkItem>, options: BulkOptions): Promise<BulkResult> {
  const tally: Tally = { sent: 0, replayed: 0, failed: 0 };
  const limit = Math.max(1, options.concurrency);
  const inFlight = new Set<Promise<void>>();
  let notAttempted = 0;

  const one = async (item: BulkItem): Promise<void> => {
    let outcome: BulkOutcome;
    try {
      const result = await options.send(item);
      outcome = { line: item.line, conversationId: result.conversationId, status: result.replayed ? 'replayed' : 'sent', leadId: result.leadId };
    } catch (error) {
      const code = error instanceof APIError ? error.code : errorCode(error);
      outcome = { line: item.line, conversationId: options.conversationIdOf(item), status: 'failed', error: describeFailure(error).message, ...(code ? { code } : {}) };
    }
    tally[outcome.status]++;
    options.onOutcome?.(outcome, tally);
  };

  const stopped = () => options.signal?.aborted === true;
  for await (const item of items) {
    while (!stopped() && inFlight.size >= limit) await Promise.race(inFlight);
    // Let pending I/O events land first: a stdout that broke on the last outcome's line reports
    // it on the next turn of the event loop, and must stop the run before another lead goes.
    await setImmediate();
    if (stopped()) {
      notAttempted++;
      options.onUnsent?.(item);
      continue;
    }
    const running: Promise<void> = one(item).finally(() => inFlight.delete(running));
    inFlight.add(running);
  }
  await Promise.all(inFlight);
  return { tally, notAttempted };
}
