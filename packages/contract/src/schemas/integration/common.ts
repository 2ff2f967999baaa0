import { z } from 'zod';

/**
 * How much of a client's data their therapist may see (seed §6). Each level includes the one
 * before it: BASIC < STANDARD < FULL.
 */
export const PERMISSION_LEVELS = ['BASIC', 'STANDARD', 'FULL'] as const;

/** A client's permission level for one therapist. */
export const PermissionLevel = z.enum(PERMISSION_LEVELS).meta({
  id: 'PermissionLevel',
  description: 'BASIC: assessment scores, activity completion, course progress; STANDARD: + mood and ratio trends, crisis alerts, session prep; FULL: + individual responses and journal entries',
});
/** A client's permission level for one therapist. */
export type PermissionLevel = z.infer<typeof PermissionLevel>;

/** Whether `level` grants at least `required`. */
export function permissionAtLeast(level: PermissionLevel, required: PermissionLevel): boolean {
  return PERMISSION_LEVELS.indexOf(level) >= PERMISSION_LEVELS.indexOf(required);
}

/** An opaque id of an integration record (clients, couples, alerts, …). */
export const IntegrationId = z.string().min(1).describe('Opaque id');

/** A calendar date, `YYYY-MM-DD`. */
export const CalendarDate = z.iso.date().meta({ id: 'CalendarDate', description: 'Calendar date, YYYY-MM-DD' });

/** A person as the integration API names them. */
export const PersonRef = z
  .object({ id: IntegrationId, firstName: z.string(), lastName: z.string() })
  .meta({ id: 'PersonRef' });
/** A person reference. */
export type PersonRef = z.infer<typeof PersonRef>;

/** Couple status values. */
export const CoupleStatus = z.enum(['active', 'paused', 'ended']).meta({ id: 'CoupleStatus' });

/**
 * One completed assessment: its type (e.g. `attachment`) and its scores as the assessment
 * defines them (e.g. `{ style, anxiety, avoidance }`).
 */
export const AssessmentScore = z
  .object({
    type: z.string(),
    score: z.record(z.string(), z.unknown()),
    completedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'AssessmentScore' });
/** One assessment score. */
export type AssessmentScore = z.infer<typeof AssessmentScore>;
