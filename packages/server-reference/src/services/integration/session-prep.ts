import { ErrorCode, ErrorText, permissionAtLeast, type SessionPrepReport, type TherapistAlertSeverity } from '@careos/contract';
import { and, eq, gt } from 'drizzle-orm';
import { clientTasks, sessionPrepReports } from '../../db/schema/index.js';
import { addDays, dayOf, daysBetween } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { mean, round, trendOf } from '../../domain/trends.js';
import type { ServiceContext } from '../context.js';
import type { TherapistAlertService } from './alerts.js';
import type { ConsentService } from './consent.js';
import type { ActivityRow, AssessmentRow } from './records.js';
import { loadActivities, loadAssessments } from './records.js';
import { expertInsights } from './session-insights.js';

/** Default anchor when the caller gives no `lastSessionDate`: a weekly session rhythm. */
export const DEFAULT_SESSION_INTERVAL_DAYS = 7;
/** Oldest anchor accepted: a report over more than a year says little about "since last session". */
export const MAX_SESSION_LOOKBACK_DAYS = 366;

function invalidAnchor(message: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.invalidQuery, { message, details: [{ path: 'lastSessionDate', message }] });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The latest score of each type completed after `anchor`, beside the latest before it. */
export function assessmentChanges(rows: readonly AssessmentRow[], anchor: Date): SessionPrepReport['assessmentChanges'] {
  const changes: SessionPrepReport['assessmentChanges'] = {};
  for (const type of new Set(rows.filter((r) => r.completedAt > anchor).map((r) => r.type))) {
    const ofType = rows.filter((r) => r.type === type);
    const before = ofType.filter((r) => r.completedAt <= anchor).at(-1);
    const after = ofType.filter((r) => r.completedAt > anchor).at(-1);
    changes[type] = { before: before?.score ?? null, after: after?.score ?? null };
  }
  return changes;
}

/** Mood average of days that logged one. */
function moodAverage(days: readonly ActivityRow[]): number | null {
  return mean(days.flatMap((d) => (d.mood === null ? [] : [d.mood])));
}

/**
 * Session-preparation reports (STANDARD and FULL). "Since last session" is the calendar days
 * after the anchor's day up to today; trends compare them with as many days before the anchor.
 */
export class SessionPrepService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly consent: ConsentService,
    private readonly alerts: TherapistAlertService,
  ) {}

  /** Generates, stores and returns a report. */
  async generate(therapistId: string, clientId: string, lastSessionDate?: string): Promise<SessionPrepReport> {
    const link = await this.consent.require(therapistId, clientId);
    if (!permissionAtLeast(link.permissionLevel, 'STANDARD')) {
      throw new DomainError(ErrorCode.INSUFFICIENT_PERMISSION, ErrorText.insufficientPermission, {
        message: `Session prep needs STANDARD or FULL permission; this client granted ${link.permissionLevel}`,
      });
    }
    const now = this.ctx.clock.now();
    const anchor = lastSessionDate ? new Date(lastSessionDate) : new Date(now.getTime() - DEFAULT_SESSION_INTERVAL_DAYS * 86_400_000);
    if (anchor > now) throw invalidAnchor('Must not be in the future');
    if (now.getTime() - anchor.getTime() > MAX_SESSION_LOOKBACK_DAYS * 86_400_000) throw invalidAnchor(`Must be within the last ${MAX_SESSION_LOOKBACK_DAYS} days`);

    const today = dayOf(now);
    const anchorDay = dayOf(anchor);
    const periodDays = daysBetween(anchorDay, today);
    const db = this.ctx.db.orm;
    const [activityMap, assessmentMap, tasks, crisis] = await Promise.all([
      loadActivities(db, [clientId], addDays(anchorDay, -Math.max(periodDays, 1) + 1), today),
      loadAssessments(db, [clientId], this.ctx.phi.cipher),
      db
        .select({ descriptionEnc: clientTasks.descriptionEnc, completedAt: clientTasks.completedAt })
        .from(clientTasks)
        .where(and(eq(clientTasks.clientId, clientId), eq(clientTasks.therapistId, therapistId), eq(clientTasks.status, 'completed'), gt(clientTasks.completedAt, anchor)))
        .orderBy(clientTasks.completedAt),
      this.alerts.crisisSince(therapistId, clientId, anchor),
    ]);
    const all = activityMap.get(clientId) ?? [];
    const since = all.filter((d) => d.day > anchorDay);
    const before = all.filter((d) => d.day <= anchorDay);
    const dailyDone = since.filter((d) => d.completed);

    const activitiesCompleted: SessionPrepReport['activitiesCompleted'] = [
      ...dailyDone.map((d) => ({
        date: d.day,
        kind: 'daily_activity' as const,
        description: d.mood !== null && d.closeness !== null ? `Daily check-in (mood ${d.mood}/10, closeness ${d.closeness}/10)` : 'Daily check-in',
      })),
      ...tasks.map((t) => ({ date: dayOf(t.completedAt!), kind: 'task' as const, description: this.ctx.phi.cipher.open(clientTasks.descriptionEnc, t.descriptionEnc!) })),
    ].sort((a, b) => a.date.localeCompare(b.date));

    const currentMood = moodAverage(since);
    const previousMood = moodAverage(before);
    const moodTrends = { average: currentMood === null ? null : round(currentMood, 1), trend: trendOf(previousMood, currentMood) };
    const changes = assessmentChanges(assessmentMap.get(clientId) ?? [], anchor);
    const crisisFlags = crisis.map((a) => ({ alertId: a.id, severity: a.severity as TherapistAlertSeverity, message: a.message, createdAt: a.createdAt.toISOString() }));

    const summary = [
      `Since last session (${anchorDay}), client completed ${dailyDone.length}/${periodDays} daily activities` +
        (tasks.length ? ` and ${plural(tasks.length, 'assigned task')}.` : '.'),
      moodTrends.average === null ? 'No mood was logged.' : `Average mood ${moodTrends.average}/10, ${moodTrends.trend}${previousMood === null ? '' : ` (was ${round(previousMood, 1)})`}.`,
      crisisFlags.length ? `${plural(crisisFlags.length, 'crisis flag')} raised — review before the session.` : 'No crisis flags.',
      ...(Object.keys(changes).length ? [`New assessment results: ${Object.keys(changes).join(', ')}.`] : []),
    ].join(' ');

    const report: SessionPrepReport = {
      id: newId('rpt', now),
      therapistId,
      clientId,
      reportDate: now.toISOString(),
      lastSessionDate: anchor.toISOString(),
      activitiesCompleted,
      assessmentChanges: changes,
      moodTrends,
      crisisFlags,
      generatedSummary: summary,
      expertInsights: expertInsights({ since, before, changes }),
    };
    await db.insert(sessionPrepReports).values({ id: report.id, therapistId, clientId, reportEnc: this.ctx.phi.cipher.sealJson(sessionPrepReports.reportEnc, report), createdAt: now });
    return report;
  }
}
