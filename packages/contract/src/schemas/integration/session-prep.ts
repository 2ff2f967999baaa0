import { z } from 'zod';
import { CalendarDate, IntegrationId } from './common.js';

const timestamp = z.iso.datetime({ offset: true });

/** Query of `GET /api/integration/clients/{clientId}/session-prep`. */
export const SessionPrepQuery = z.object({
  lastSessionDate: timestamp.optional().describe('Anchor for "since last session" (ISO 8601); default 7 days ago'),
});

/** Something the client completed since the last session. */
export const CompletedActivity = z
  .object({
    date: CalendarDate,
    kind: z.enum(['daily_activity', 'task']),
    description: z.string(),
  })
  .meta({ id: 'CompletedActivity' });

/** One assessment type's latest score before and after the anchor (null when there was none). */
export const AssessmentChange = z
  .object({ before: z.record(z.string(), z.unknown()).nullable(), after: z.record(z.string(), z.unknown()).nullable() })
  .meta({ id: 'AssessmentChange' });

/** Mood since the anchor, against the same length of time before it. */
export const MoodSummary = z
  .object({
    average: z.number().nullable().describe('Average mood (1-10) since the anchor, one decimal; null without data'),
    trend: z.enum(['improving', 'declining', 'stable']),
  })
  .meta({ id: 'MoodSummary' });

/** A CRISIS alert raised since the anchor. */
export const CrisisFlag = z
  .object({
    alertId: IntegrationId,
    severity: z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
    message: z.string(),
    createdAt: timestamp,
  })
  .meta({ id: 'CrisisFlag' });

/** An observation framed by a clinical model (e.g. Gottman's 5:1 ratio). */
export const ExpertInsight = z.object({ expert: z.string(), insight: z.string() }).meta({ id: 'ExpertInsight' });

/** A generated session-preparation report; every report is stored with its id. */
export const SessionPrepReport = z
  .object({
    id: IntegrationId,
    therapistId: IntegrationId,
    clientId: IntegrationId,
    reportDate: timestamp,
    lastSessionDate: timestamp,
    activitiesCompleted: z.array(CompletedActivity),
    assessmentChanges: z.record(z.string(), AssessmentChange).describe('By assessment type, for types completed since the anchor'),
    moodTrends: MoodSummary,
    crisisFlags: z.array(CrisisFlag),
    generatedSummary: z.string(),
    expertInsights: z.array(ExpertInsight),
  })
  .meta({ id: 'SessionPrepReport' });
/** A parsed session-prep report. */
export type SessionPrepReport = z.infer<typeof SessionPrepReport>;

/** Response of the session-prep endpoint. */
export const SessionPrepResponse = z.object({ report: SessionPrepReport }).meta({ id: 'SessionPrepResponse' });
/** Parsed session-prep response. */
export type SessionPrepResponse = z.infer<typeof SessionPrepResponse>;
