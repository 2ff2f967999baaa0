import type { ClientProgressResponse } from '@careos/sdk';
import type { Command } from 'commander';
import { addIntegrationOptions, withIntegrationClient } from '../../lib/integration-command.js';
import { day, scoreText, WITHHELD } from '../../lib/integration-format.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, keyValues, table, type Output } from '../../lib/output.js';

interface Options {
  json?: boolean;
  [setting: string]: unknown;
}

/** How many of the latest trend points and journal entries the human view shows (`--json` has all). */
const RECENT = 7;

function render(out: Output, p: ClientProgressResponse): string {
  const a = p.activityCompletion;
  const c = p.courseProgress;
  const lines = [
    keyValues(out.color, [
      ['Client', p.clientId],
      ['Permission', p.permissionLevel],
      ['Activity', `${a.daysActive}/${a.totalDays} days (${a.completionRate}%), streak ${a.streak}; tasks ${a.tasksCompleted} done, ${a.tasksPending} pending`],
      ['Course', c.currentWeek === null ? 'not started' : `week ${c.currentWeek}${c.isActive ? '' : ' (inactive)'}; weeks done: ${c.completedWeeks.join(', ') || 'none'}`],
    ]),
    '',
    'Assessments',
    p.assessmentScores.length ? table(out.color, ['TYPE', 'SCORE', 'COMPLETED'], p.assessmentScores.map((s) => [s.type, scoreText(s.score), day(s.completedAt)])) : out.color.dim('  none'),
  ];
  lines.push('', `Mood (latest ${RECENT} days logged)`);
  if (p.moodTrends === undefined) lines.push(out.color.dim(`  ${WITHHELD}`));
  else lines.push(table(out.color, ['DATE', 'MOOD', 'CLOSENESS'], p.moodTrends.slice(-RECENT).map((m) => [m.date, m.mood, m.closeness])));
  lines.push('', `Positive:negative ratio (latest ${RECENT} days logged)`);
  if (p.ratioTrends === undefined) lines.push(out.color.dim(`  ${WITHHELD}`));
  else lines.push(table(out.color, ['DATE', 'POSITIVE', 'NEGATIVE', 'RATIO'], p.ratioTrends.slice(-RECENT).map((r) => [r.date, r.positive, r.negative, r.ratio])));
  lines.push('', 'Journal entries shared with the therapist');
  if (p.journalEntries === undefined) lines.push(out.color.dim(`  ${WITHHELD}`));
  else if (p.journalEntries.length === 0) lines.push(out.color.dim('  none'));
  else for (const entry of p.journalEntries.slice(0, RECENT)) lines.push(`  ${day(entry.createdAt)}  ${entry.text}`);
  if (p.individualResponses !== undefined) lines.push('', `Individual responses: ${p.individualResponses.length} assessment(s) (see --json)`);
  return lines.join('\n');
}

/** `careos integration progress <clientId>`. */
export function register(program: Command): void {
  const command = noun(program, 'integration')
    .command('progress')
    .argument('<clientId>', 'a client id from `careos integration clients`')
    .description("A client's assessment scores, activity completion and course progress; mood and ratio trends from STANDARD, journal entries at FULL");
  addIntegrationOptions(command).action(async (clientId: string, options: Options) => {
    const out = createOutput({ json: options.json });
    const result = await withIntegrationClient(options, (client) => client.clients.progress(clientId));
    out.data(result, () => render(out, result));
  });
}
