import type { BulkResult, Communication } from '@careos/sdk';
import { keyValues, table, type Output } from './output.js';

/** One communication, field by field (never its text or recipient: the log holds neither). */
export function renderCommunication(out: Output, c: Communication): string {
  return keyValues(out.color, [
    ['Communication', c.id],
    ['Client', c.client_id],
    ['Type', c.type],
    ['Kind', c.kind],
    ['Status', c.cancel_reason ? `${c.status} (${c.cancel_reason})` : c.status],
    ['Segments', c.segments === null ? null : `${c.segments} (${c.encoding})`],
    ['PHI', c.contains_phi ? (c.generic_notice ? 'yes — sent as the generic notice' : 'yes') : 'no'],
    ['Provider', c.provider_message_id ? `${c.provider} ${c.provider_message_id}` : c.provider],
    ['Error', c.error],
    ['Created', c.created_at],
    ['Sent', c.sent_at],
    ['Delivered', c.delivered_at],
  ]);
}

/** A page of communications as a table, newest first, with the cursor of the next page. */
export function renderCommsPage(out: Output, body: { communications: Communication[]; next_cursor: string | null }): string {
  if (body.communications.length === 0) return out.color.dim('No communications.');
  const rows = body.communications.map((c) => [c.id, c.created_at.slice(0, 16).replace('T', ' '), c.type, c.kind, c.status, c.segments ?? '', c.provider_message_id ?? '']);
  const lines = [table(out.color, ['ID', 'WHEN', 'TYPE', 'KIND', 'STATUS', 'SEGMENTS', 'PROVIDER ID'], rows)];
  if (body.next_cursor) lines.push(out.color.dim(`More: --cursor ${body.next_cursor}`));
  return lines.join('\n');
}

/** The results of a bulk send: a count line, then every recipient not queued. */
export function renderBulkResults(out: Output, body: { batch_id: string; queued: number; not_queued: number; results: BulkResult[] }): string {
  const lines = [`Batch ${body.batch_id}: ${body.queued} queued, ${body.not_queued} not queued`];
  const refused = body.results.filter((r) => r.status !== 'queued');
  if (refused.length) lines.push(table(out.color, ['CLIENT', 'RESULT', 'CODE', 'REASON'], refused.map((r) => [r.client_id, r.status, r.code ?? '', r.reason ?? ''])));
  return lines.join('\n');
}
