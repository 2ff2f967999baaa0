import { z } from 'zod';
import { AssessmentScore, CoupleStatus, IntegrationId, PersonRef } from './common.js';

/** One partner's side of the comparison. */
export const PartnerDynamics = z
  .object({
    user: PersonRef,
    assessmentScores: z.array(AssessmentScore),
    activityDays: z.number().int().nonnegative().describe('Days with a completed daily activity in the last 30 days'),
    moodAvg: z
      .number()
      .nullable()
      .optional()
      .describe('Average mood over the last 30 days, one decimal; absent when this partner’s permission is BASIC, null without data'),
  })
  .meta({ id: 'PartnerDynamics' });

/** One compatibility matchup between the partners. */
export const Matchup = z
  .object({
    score: z.number(),
    alignments: z.record(z.string(), z.unknown()).describe('e.g. { compatible: [...], misses: [...] }'),
    generatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Matchup' });

/** The couple's profile analysis. */
export const CoupleProfile = z
  .object({
    attachmentDynamic: z.record(z.string(), z.unknown()),
    communicationStyle: z.record(z.string(), z.unknown()),
    strengths: z.array(z.unknown()),
    growthEdges: z.array(z.unknown()),
  })
  .meta({ id: 'CoupleProfile' });

/**
 * Couple dynamics (seed `GET /api/integration/couples/{id}/dynamics`). A partner's side is
 * shown only if that partner consented to this therapist; otherwise it is `null` and named in
 * `withheld`. Matchups and the couple profile describe both partners, so they are shown only
 * when both consented (otherwise `[]` and `null`).
 */
export const CoupleDynamics = z
  .object({
    couple: z.object({ id: IntegrationId, status: CoupleStatus }),
    partner1: PartnerDynamics.nullable(),
    partner2: PartnerDynamics.nullable(),
    withheld: z.array(z.enum(['partner1', 'partner2'])).describe('Sides withheld because that partner has not consented to this therapist'),
    matchups: z.array(Matchup),
    coupleProfile: CoupleProfile.nullable(),
  })
  .meta({ id: 'CoupleDynamics' });
/** Parsed couple dynamics. */
export type CoupleDynamics = z.infer<typeof CoupleDynamics>;
