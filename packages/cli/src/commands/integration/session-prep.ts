import type { SessionPrepReportResponse } from '@careos/sdk';
import type { Command } from 'commander';
import { addIntegrationOptions, withIntegrationClient } from '../../lib/integration-command.js';
import { day, scoreText } from '../../lib/integration-format.js';
import { noun } from '../../lib/nouns.js';
import { startOfDayOrTime } from '../../lib/option-parsers.js';
import { createOutput, keyValues, table, type Output } from '../../lib/output.js';

interface Options {
  lastSessionDate?: string;
  json?: boolean;
  [setting: string]: unknown;
}

function render(out: Output, { report: r }: SessionPrepReportResponse): string {
  const lines = [
    keyValues(out.color, [
      ['Report', r.id],
      ['Client', r.clientId],
      ['Since', `${day(r.lastSessionDate)} (report of ${day(r.reportDate)})`],
      ['Mood', `${r.moodTrends.average ?? '—'} average, ${r.moodTrends.trend}`],
    ]),
    '',
    r.generatedSummary,
    '',
    'Completed since the last session',
    r.activitiesCompleted.length ? table(out.color, ['DATE', 'KIND', 'WHAT'], r.activitiesCompleted.map((a) => [a.date, a.kind, a.description])) : out.color.dim('  nothing'),
  ];
  const changes = Object.entries(r.assessmentChanges);
  if (changes.length) {
    lines.push('', 'Assessment changes', table(out.color, ['TYPE', 'BEFORE', 'AFTER'], changes.map(([type, c]) => [type, scoreText(c.before), scoreText(c.after)])));
  }
  lines.push('', 'Crisis flags');
  if (r.crisisFlags.length === 0) lines.push(out.color.dim('  none'));
  else lines.push(table(out.color, ['CREATED', 'SEVERITY', 'MESSAGE'], r.crisisFlags.map((f) => [day(f.createdAt), f.severity, f.message])));
  if (r.expertInsights.length) {
    lines.push('', 'Insights');
    for (const insight of r.expertInsights) lines.push(`  ${out.color.bold(insight.expert)}: ${insight.insight}`);
  }
  return lines.join('\n');
}

/** `careos integration session-prep <clientId>`. */
export function register(program: Command): void {
  const command = noun(program, 'integration')
    .command('session-prep')
    .argument('<clientId>', 'a client id from `careos integration clients`')
    .description('Generate a session-preparation report of what changed since the last session (STANDARD or FULL permission)')
    .option('--last-session-date <date>', 'the last session: YYYY-MM-DD (start of day, UTC) or an ISO 8601 time (default: 7 days ago)', startOfDayOrTime);
  addIntegrationOptions(command).action(async (clientId: string, options: Options) => {
    const out = createOutput({ json: options.json });
    const result = await withIntegrationClient(options, (client) =>
      client.clients.sessionPrep(clientId, options.lastSessionDate ? { lastSessionDate: options.lastSessionDate } : undefined),
    );
    out.data(result, () => render(out, result));
  });
}
