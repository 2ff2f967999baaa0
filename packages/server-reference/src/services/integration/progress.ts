import { permissionAtLeast, type ClientProgress } from '@careos/contract';
import { and, desc, eq } from 'drizzle-orm';
import { journalEntries } from '../../db/schema/index.js';
import { addDays, dayOf, daysBetween } from '../../domain/calendar.js';
import { interactionRatio, streakOf } from '../../domain/trends.js';
import type { ServiceContext } from '../context.js';
import type { ConsentService } from './consent.js';
import { loadActivities, loadAssessments, loadClients, loadCourses, loadFirstActivityDay, loadStrategies, loadTaskCounts } from './records.js';

/** Days of history the progress endpoint covers (the seed's `totalDays: 90`). */
export const PROGRESS_WINDOW_DAYS = 90;
/** Most journal entries returned at FULL permission (newest first). */
export const JOURNAL_LIMIT = 100;

/** One client's progress, cut to what their permission level allows. */
export class ProgressService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly consent: ConsentService,
  ) {}

  /**
   * BASIC: assessment scores, activity completion, course progress. STANDARD adds mood and
   * ratio trends; FULL adds the client's own assessment answers and the journal entries they
   * did not hide from their therapist. Fields above the level are left out entirely.
   */
  async get(therapistId: string, clientId: string): Promise<ClientProgress> {
    const link = await this.consent.require(therapistId, clientId);
    const db = this.ctx.db.orm;
    const today = dayOf(this.ctx.clock.now());
    const [people, firstDay, assessmentRows, courses, strategies, tasks] = await Promise.all([
      loadClients(db, [clientId], this.ctx.phi.cipher),
      loadFirstActivityDay(db, clientId),
      loadAssessments(db, [clientId], this.ctx.phi.cipher),
      loadCourses(db, [clientId]),
      loadStrategies(db, clientId),
      loadTaskCounts(db, therapistId, clientId),
    ]);
    // The window is the last 90 days, or fewer for a client who started more recently.
    const joined = dayOf(people.get(clientId)!.createdAt);
    const began = firstDay !== null && firstDay < joined ? firstDay : joined;
    const windowStart = addDays(today, -(PROGRESS_WINDOW_DAYS - 1));
    const start = began > windowStart ? began : windowStart;
    const totalDays = Math.max(1, daysBetween(start, today) + 1);
    const days = (await loadActivities(db, [clientId], start, today)).get(clientId) ?? [];
    const completed = new Set(days.filter((d) => d.completed).map((d) => d.day));
    const course = courses.get(clientId);
    const scores = assessmentRows.get(clientId) ?? [];

    const progress: ClientProgress = {
      clientId,
      permissionLevel: link.permissionLevel,
      assessmentScores: scores.map((a) => ({ type: a.type, score: a.score, completedAt: a.completedAt.toISOString() })),
      activityCompletion: {
        totalDays,
        daysActive: completed.size,
        completionRate: Math.round((completed.size / totalDays) * 100),
        streak: streakOf(completed, today),
        tasksCompleted: tasks.completed,
        tasksPending: tasks.pending,
      },
      courseProgress: {
        currentWeek: course?.currentWeek ?? null,
        isActive: course?.isActive ?? false,
        completedWeeks: strategies.filter((s) => s.completedAt !== null).map((s) => s.weekNumber),
        weeklyStrategies: strategies.map((s) => ({ weekNumber: s.weekNumber, theme: s.theme, completedDays: s.completedDays, completedAt: s.completedAt?.toISOString() ?? null })),
      },
    };
    if (permissionAtLeast(link.permissionLevel, 'STANDARD')) {
      progress.moodTrends = days.flatMap((d) => (d.mood !== null && d.closeness !== null ? [{ date: d.day, mood: d.mood, closeness: d.closeness }] : []));
      progress.ratioTrends = days
        .filter((d) => d.positiveInteractions + d.negativeInteractions > 0)
        .map((d) => ({ date: d.day, positive: d.positiveInteractions, negative: d.negativeInteractions, ratio: interactionRatio(d.positiveInteractions, d.negativeInteractions) }));
    }
    if (permissionAtLeast(link.permissionLevel, 'FULL')) {
      progress.individualResponses = scores
        .filter((a) => Object.keys(a.responses).length > 0)
        .map((a) => ({ assessmentType: a.type, completedAt: a.completedAt.toISOString(), responses: a.responses }));
      const journals = await db
        .select({ id: journalEntries.id, textEnc: journalEntries.textEnc, createdAt: journalEntries.createdAt })
        .from(journalEntries)
        .where(and(eq(journalEntries.clientId, clientId), eq(journalEntries.therapistHidden, false)))
        .orderBy(desc(journalEntries.createdAt), desc(journalEntries.id))
        .limit(JOURNAL_LIMIT);
      progress.journalEntries = journals.map((j) => ({ id: j.id, text: this.ctx.phi.cipher.open(journalEntries.textEnc, j.textEnc!), createdAt: j.createdAt.toISOString() }));
    }
    return progress;
  }
}
