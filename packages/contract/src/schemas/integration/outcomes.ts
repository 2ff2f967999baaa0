import { z } from 'zod';
import { IntegrationId } from './common.js';

/** One consented client's outcome figures. */
export const ClientOutcome = z
  .object({
    clientId: IntegrationId,
    assessmentTypes: z.number().int().nonnegative().describe('Distinct assessment types completed'),
    courseWeek: z.number().int().nullable(),
    courseCompleted: z.boolean(),
    crisisAlerts: z.number().int().nonnegative().describe('CRISIS alerts (counted only at STANDARD or FULL permission)'),
    milestones: z.number().int().nonnegative().describe('MILESTONE alerts'),
  })
  .meta({ id: 'ClientOutcome' });

/** Caseload-wide outcomes across the therapist's consented clients (seed `GET /api/integration/outcomes`). */
export const OutcomesResponse = z
  .object({
    outcomes: z.object({
      summary: z.object({
        totalClients: z.number().int().nonnegative(),
        activeInCourse: z.number().int().nonnegative(),
        courseCompleted: z.number().int().nonnegative(),
        totalCrisisAlerts: z.number().int().nonnegative(),
        totalMilestones: z.number().int().nonnegative(),
        avgCourseWeek: z.number().nullable().describe('Average current week of clients who started the course, one decimal'),
      }),
      clients: z.array(ClientOutcome),
    }),
  })
  .meta({ id: 'OutcomesResponse' });
/** Parsed outcomes. */
export type OutcomesResponse = z.infer<typeof OutcomesResponse>;
