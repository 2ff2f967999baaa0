import type { AssignActivityRequest, AssignActivityResponse } from '@careos/contract';
import type { FieldCipher } from '../../crypto/field-cipher.js';
import { clientTasks } from '../../db/schema/index.js';
import { parseDayOrInstant } from '../../domain/calendar.js';
import { newId } from '../../domain/ids.js';
import type { ServiceContext } from '../context.js';
import type { ConsentService } from './consent.js';

type TaskRow = typeof clientTasks.$inferSelect;

/** The task as the assign endpoint returns it, decrypted. */
export function taskRecord(row: TaskRow, cipher: FieldCipher): AssignActivityResponse['task'] {
  return {
    id: row.id,
    description: cipher.open(clientTasks.descriptionEnc, row.descriptionEnc!),
    priority: row.priority as AssignActivityResponse['task']['priority'],
    dueDate: row.dueDate?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    module: row.module,
    activities: row.activities,
    notes: cipher.openOrNull(clientTasks.notesEnc, row.notesEnc),
    status: row.status === 'completed' ? 'completed' : 'pending',
  };
}

/**
 * Modules and activities therapists assign. Any permission level may be assigned to: it
 * reveals nothing about the client, and consent is still required.
 */
export class TaskService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly consent: ConsentService,
  ) {}

  /** Assigns a task to a consented client. */
  async assign(therapistId: string, clientId: string, input: AssignActivityRequest): Promise<AssignActivityResponse> {
    await this.consent.require(therapistId, clientId);
    const now = this.ctx.clock.now();
    const { cipher } = this.ctx.phi;
    const [row] = await this.ctx.db.orm
      .insert(clientTasks)
      .values({
        id: newId('task', now),
        clientId,
        therapistId,
        descriptionEnc: cipher.seal(clientTasks.descriptionEnc, input.taskDescription),
        module: input.module ?? null,
        activities: input.activities ?? [],
        notesEnc: cipher.sealOrNull(clientTasks.notesEnc, input.notes),
        dueDate: input.dueDate ? parseDayOrInstant(input.dueDate) : null,
        priority: input.priority,
        status: 'pending',
        createdAt: now,
      })
      .returning();
    return { message: 'Activity assigned', task: taskRecord(row!, cipher) };
  }
}
