import type { OutcomesResult } from '@careos/sdk';
import type { Command } from 'commander';
import { addIntegrationOptions, withIntegrationClient } from '../../lib/integration-command.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, keyValues, table, type Output } from '../../lib/output.js';

interface Options {
  json?: boolean;
  [setting: string]: unknown;
}

function render(out: Output, { outcomes }: OutcomesResult): string {
  const s = outcomes.summary;
  return [
    keyValues(out.color, [
      ['Clients', s.totalClients],
      ['Active in course', s.activeInCourse],
      ['Course completed', s.courseCompleted],
      ['Average course week', s.avgCourseWeek],
      ['Crisis alerts', s.totalCrisisAlerts],
      ['Milestones', s.totalMilestones],
    ]),
    '',
    outcomes.clients.length
      ? table(
          out.color,
          ['CLIENT', 'ASSESSMENTS', 'WEEK', 'COMPLETED', 'CRISIS ALERTS', 'MILESTONES'],
          outcomes.clients.map((c) => [c.clientId, c.assessmentTypes, c.courseWeek, c.courseCompleted ? 'yes' : 'no', c.crisisAlerts, c.milestones]),
        )
      : out.color.dim('No consented clients.'),
  ].join('\n');
}

/** `careos integration outcomes`: caseload-wide outcomes. */
export function register(program: Command): void {
  const command = noun(program, 'integration')
    .command('outcomes')
    .description('Caseload-wide outcomes across every consented client: course progress, crisis alerts, milestones');
  addIntegrationOptions(command).action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const result = await withIntegrationClient(options, (client) => client.outcomes.retrieve());
    out.data(result, () => render(out, result));
  });
}
