import type { CoupleDynamicsResponse } from '@careos/sdk';
import type { Command } from 'commander';
import { addIntegrationOptions, withIntegrationClient } from '../../lib/integration-command.js';
import { day, personName, scoreText, WITHHELD } from '../../lib/integration-format.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, keyValues, table, type Output } from '../../lib/output.js';

interface Options {
  json?: boolean;
  [setting: string]: unknown;
}

type Side = CoupleDynamicsResponse['partner1'];

function renderSide(out: Output, label: string, side: Side): string[] {
  if (side === null) return [`${label}: ${out.color.dim('withheld (this partner has not consented to this therapist)')}`];
  return [
    `${label}: ${personName(side.user)} ${out.color.dim(side.user.id)}`,
    keyValues(out.color, [
      ['  Active days (30)', side.activityDays],
      // `moodAvg` is absent at BASIC and null without data: two different things to say.
      ['  Mood average (30)', side.moodAvg === undefined ? WITHHELD : side.moodAvg],
    ]),
    ...(side.assessmentScores.length ? [table(out.color, ['  TYPE', 'SCORE', 'COMPLETED'], side.assessmentScores.map((s) => [`  ${s.type}`, scoreText(s.score), day(s.completedAt)]))] : []),
  ];
}

function render(out: Output, d: CoupleDynamicsResponse): string {
  const lines = [`Couple ${d.couple.id} (${d.couple.status})`, '', ...renderSide(out, 'Partner 1', d.partner1), '', ...renderSide(out, 'Partner 2', d.partner2), ''];
  if (d.withheld.length) lines.push(out.color.dim('Matchups and the couple profile describe both partners, so they are shown only when both consented.'));
  if (d.matchups.length) {
    lines.push('Matchups');
    lines.push(table(out.color, ['GENERATED', 'SCORE', 'ALIGNMENTS'], d.matchups.map((m) => [day(m.generatedAt), m.score, scoreText(m.alignments)])));
  }
  if (d.coupleProfile) {
    const p = d.coupleProfile;
    lines.push(
      '',
      'Couple profile',
      keyValues(out.color, [
        ['  Attachment', scoreText(p.attachmentDynamic)],
        ['  Communication', scoreText(p.communicationStyle)],
        ['  Strengths', p.strengths.map(String).join('; ')],
        ['  Growth edges', p.growthEdges.map(String).join('; ')],
      ]),
    );
  }
  return lines.join('\n').trimEnd();
}

/** `careos integration dynamics <coupleId>`. */
export function register(program: Command): void {
  const command = noun(program, 'integration')
    .command('dynamics')
    .argument('<coupleId>', 'a couple id (the COUPLE column of `careos integration clients`)')
    .description("A couple's partners side by side, matchups and couple profile; a partner who has not consented is withheld");
  addIntegrationOptions(command).action(async (coupleId: string, options: Options) => {
    const out = createOutput({ json: options.json });
    const result = await withIntegrationClient(options, (client) => client.couples.dynamics(coupleId));
    out.data(result, () => render(out, result));
  });
}
