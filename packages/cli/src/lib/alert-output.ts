import type { OpsAlert } from '@careos/contract';
import { keyValues, table, type Output } from './output.js';

// How `careos alerts …` prints alerts for people (`--json` prints the API's body instead).

const when = (t: string | null) => t?.slice(0, 19).replace('T', ' ');

/** A page of alerts as a table, with the next page's cursor under it. */
export function alertTable(out: Output, page: { alerts: OpsAlert[]; next_cursor: string | null }): string {
  if (page.alerts.length === 0) return out.color.dim('No alerts match.');
  const rows = page.alerts.map((a) => [a.id, a.severity, a.type, when(a.created_at), a.dismissed_at ? 'dismissed' : 'active', a.message]);
  const lines = [table(out.color, ['ID', 'SEVERITY', 'TYPE', 'CREATED (UTC)', 'STATE', 'MESSAGE'], rows)];
  if (page.next_cursor) lines.push(out.color.dim(`More: --cursor ${page.next_cursor}`));
  return lines.join('\n');
}

/** One alert, field by field. */
export function alertDetail(out: Output, alert: OpsAlert): string {
  return keyValues(out.color, [
    ['id', alert.id],
    ['type', alert.type],
    ['severity', alert.severity],
    ['message', alert.message],
    ['about', alert.subject ? `${alert.subject.type} ${alert.subject.id}` : null],
    ['context', JSON.stringify(alert.context)],
    ['created', when(alert.created_at)],
    ['dismissed', alert.dismissed_at ? `${when(alert.dismissed_at)} by ${alert.dismissed_by ?? 'the server (resolved)'}` : null],
  ]);
}
