import type { SessionPrepReport } from '@careos/contract';
import { mean, round } from '../../domain/trends.js';
import type { ActivityRow } from './records.js';

/** Gottman's observation: stable couples show at least five positive interactions per negative one. */
export const GOTTMAN_RATIO = 5;

type Insight = SessionPrepReport['expertInsights'][number];

function ratioOf(days: readonly ActivityRow[]): { ratio: number | null; positive: number; negative: number } {
  const positive = days.reduce((s, d) => s + d.positiveInteractions, 0);
  const negative = days.reduce((s, d) => s + d.negativeInteractions, 0);
  return { ratio: negative === 0 ? null : positive / negative, positive, negative };
}

function direction(from: number, to: number, epsilon: number): string {
  if (to - from >= epsilon) return 'improved';
  if (from - to >= epsilon) return 'declined';
  return 'held steady';
}

/** Gottman: the positive-to-negative interaction ratio since the session, against the period before. */
function gottman(since: readonly ActivityRow[], before: readonly ActivityRow[]): Insight | null {
  const now = ratioOf(since);
  const then = ratioOf(before);
  if (now.ratio !== null && then.ratio !== null) {
    const verdict = now.ratio >= GOTTMAN_RATIO ? 'at or above' : 'below';
    return {
      expert: 'Gottman',
      insight: `5:1 ratio ${direction(then.ratio, now.ratio, 0.1)} from ${round(then.ratio, 1)} to ${round(now.ratio, 1)}, ${verdict} the 5:1 balance of stable couples.`,
    };
  }
  if (now.ratio !== null) {
    return { expert: 'Gottman', insight: `Positive-to-negative ratio is ${round(now.ratio, 1)}:1 since last session, ${now.ratio >= GOTTMAN_RATIO ? 'at or above' : 'below'} the 5:1 balance of stable couples.` };
  }
  if (now.positive > 0) return { expert: 'Gottman', insight: `${now.positive} positive and no negative interactions logged since last session.` };
  return null;
}

/** Johnson (EFT): felt closeness since the session, against the period before. */
function johnson(since: readonly ActivityRow[], before: readonly ActivityRow[]): Insight | null {
  const closeness = (days: readonly ActivityRow[]) => mean(days.flatMap((d) => (d.closeness === null ? [] : [d.closeness])));
  const now = closeness(since);
  if (now === null) return null;
  const then = closeness(before);
  const change = then === null ? '' : `, ${direction(then, now, 0.5)} from ${round(then, 1)}`;
  const reading = now < 5 ? 'bids for connection may be going unanswered; explore the cycle behind the distance' : 'the bond feels accessible and responsive';
  return { expert: 'Johnson (EFT)', insight: `Felt closeness averaged ${round(now, 1)}/10${change}: ${reading}.` };
}

/** Attachment: numeric dimensions of an attachment assessment retaken since the session. */
function attachment(changes: SessionPrepReport['assessmentChanges']): Insight | null {
  const change = changes.attachment;
  if (!change?.before || !change.after) return null;
  const moved = Object.entries(change.after).flatMap(([key, after]) => {
    const before = change.before![key];
    return typeof after === 'number' && typeof before === 'number' && before !== after ? [`${key} ${before} → ${after}`] : [];
  });
  if (moved.length === 0) return null;
  return { expert: 'Attachment theory', insight: `Attachment assessment retaken: ${moved.join(', ')}.` };
}

/** Insights framed by clinical models, each present only when the data supports it. */
export function expertInsights(input: { since: readonly ActivityRow[]; before: readonly ActivityRow[]; changes: SessionPrepReport['assessmentChanges'] }): Insight[] {
  return [gottman(input.since, input.before), johnson(input.since, input.before), attachment(input.changes)].filter((i): i is Insight => i !== null);
}
