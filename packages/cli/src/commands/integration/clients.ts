import type { IntegrationClientListResponse } from '@careos/sdk';
import type { Command } from 'commander';
import { addIntegrationOptions, withIntegrationClient } from '../../lib/integration-command.js';
import { personName } from '../../lib/integration-format.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, table, type Output } from '../../lib/output.js';

interface Options {
  json?: boolean;
  [setting: string]: unknown;
}

function render(out: Output, result: IntegrationClientListResponse): string {
  if (result.clients.length === 0) return out.color.dim('No client has consented to this therapist.');
  const rows = result.clients.map((c) => {
    const partner = c.couple ? [c.couple.partner1, c.couple.partner2].find((p) => p?.id !== c.id) : undefined;
    return [
      c.id,
      personName(c),
      c.permissionLevel,
      c.couple ? `${c.couple.id} (${c.couple.status}${partner ? `, with ${personName(partner)}` : ', partner withheld'})` : null,
      c.latestActivity,
      // Absent at BASIC (the API leaves it out), null when nothing was logged.
      c.latestMood === undefined ? 'withheld' : c.latestMood,
      c.courseWeek === null ? null : `${c.courseWeek}${c.courseActive ? '' : ' (inactive)'}`,
      c.unreadAlerts,
    ];
  });
  return [
    table(out.color, ['ID', 'NAME', 'PERMISSION', 'COUPLE', 'LAST ACTIVE', 'MOOD', 'WEEK', 'UNREAD ALERTS'], rows),
    out.color.dim(`${result.total} consented client(s)`),
  ].join('\n');
}

/** `careos integration clients`: the therapist's consented caseload. */
export function register(program: Command): void {
  const command = noun(program, 'integration')
    .command('clients')
    .description("List the therapist's consented clients with permission level, couple, latest activity and unread alerts");
  addIntegrationOptions(command).action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const result = await withIntegrationClient(options, (client) => client.clients.list());
    out.data(result, () => render(out, result));
  });
}
