import { z } from 'zod';
import { IntegrationId } from './common.js';

/** Task priorities. */
export const TaskPriority = z.enum(['low', 'medium', 'high']).meta({ id: 'TaskPriority' });

/** A due date: a calendar date (`2026-02-19`, midnight UTC) or a full ISO 8601 timestamp. */
const DueDate = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).describe('YYYY-MM-DD (midnight UTC) or an ISO 8601 timestamp');

/** Body of `POST /api/integration/clients/{clientId}/assign` (seed, field for field). */
export const AssignActivityRequest = z
  .object({
    taskDescription: z.string().trim().min(1).max(2000),
    module: z.string().trim().min(1).max(200).optional().describe('Module id, e.g. gottman_love_maps'),
    activities: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
    notes: z.string().trim().max(5000).optional(),
    dueDate: DueDate.optional(),
    priority: TaskPriority.default('medium'),
  })
  .meta({ id: 'AssignActivityRequest' });
/** Parsed assign request. */
export type AssignActivityRequest = z.infer<typeof AssignActivityRequest>;

/** A task a therapist assigned. */
export const AssignedTask = z
  .object({
    id: IntegrationId,
    description: z.string(),
    priority: TaskPriority,
    dueDate: z.iso.datetime({ offset: true }).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    module: z.string().nullable(),
    activities: z.array(z.string()),
    notes: z.string().nullable(),
    status: z.enum(['pending', 'completed']),
  })
  .meta({ id: 'AssignedTask' });

/** Response (201) of the assign endpoint. */
export const AssignActivityResponse = z
  .object({ message: z.literal('Activity assigned'), task: AssignedTask })
  .meta({ id: 'AssignActivityResponse' });
/** Parsed assign response. */
export type AssignActivityResponse = z.infer<typeof AssignActivityResponse>;
