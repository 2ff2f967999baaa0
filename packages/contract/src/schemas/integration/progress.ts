import { z } from 'zod';
import { AssessmentScore, CalendarDate, IntegrationId, PermissionLevel } from './common.js';

/** Daily-activity completion over the last 90 days, and assigned tasks. */
export const ActivityCompletion = z
  .object({
    totalDays: z.number().int().nonnegative().describe('Days in the window (90, or fewer for a newer client)'),
    daysActive: z.number().int().nonnegative().describe('Days with a completed daily activity'),
    completionRate: z.number().int().min(0).max(100).describe('daysActive / totalDays, in percent'),
    streak: z.number().int().nonnegative().describe('Consecutive completed days up to today (or yesterday)'),
    tasksCompleted: z.number().int().nonnegative(),
    tasksPending: z.number().int().nonnegative(),
  })
  .meta({ id: 'ActivityCompletion' });

/** One week of the course. */
export const WeeklyStrategy = z
  .object({
    weekNumber: z.number().int().positive(),
    theme: z.string(),
    completedDays: z.number().int().min(0).max(7),
    completedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'WeeklyStrategy' });

/** Where the client is in the course. */
export const CourseProgress = z
  .object({
    currentWeek: z.number().int().nullable().describe('null when the client never started the course'),
    isActive: z.boolean(),
    completedWeeks: z.array(z.number().int().positive()),
    weeklyStrategies: z.array(WeeklyStrategy),
  })
  .meta({ id: 'CourseProgress' });

/** Mood and closeness of one day (STANDARD and FULL). */
export const MoodPoint = z
  .object({ date: CalendarDate, mood: z.number().int().min(1).max(10), closeness: z.number().int().min(1).max(10) })
  .meta({ id: 'MoodPoint' });

/** Positive and negative interactions of one day and their ratio (STANDARD and FULL). */
export const RatioPoint = z
  .object({
    date: CalendarDate,
    positive: z.number().int().nonnegative(),
    negative: z.number().int().nonnegative(),
    ratio: z.number().nullable().describe('positive / negative, two decimals; null on a day without negative interactions'),
  })
  .meta({ id: 'RatioPoint' });

/** The client's own answers to one assessment (FULL only). */
export const IndividualResponse = z
  .object({
    assessmentType: z.string(),
    completedAt: z.iso.datetime({ offset: true }),
    responses: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'IndividualResponse' });

/** A journal entry the client shares with their therapist (FULL only; therapist-hidden entries never appear). */
export const JournalEntry = z
  .object({ id: IntegrationId, text: z.string(), createdAt: z.iso.datetime({ offset: true }) })
  .meta({ id: 'JournalEntry' });

/**
 * Client progress, filtered by the client's permission level (seed §2):
 * BASIC has `assessmentScores`, `activityCompletion`, `courseProgress`; STANDARD adds
 * `moodTrends` and `ratioTrends`; FULL adds `individualResponses` and `journalEntries`.
 * Fields above the client's level are absent, not empty.
 */
export const ClientProgress = z
  .object({
    clientId: IntegrationId,
    permissionLevel: PermissionLevel,
    assessmentScores: z.array(AssessmentScore),
    activityCompletion: ActivityCompletion,
    courseProgress: CourseProgress,
    moodTrends: z.array(MoodPoint).optional().describe('STANDARD and FULL: the last 90 days, oldest first'),
    ratioTrends: z.array(RatioPoint).optional().describe('STANDARD and FULL: the last 90 days, oldest first'),
    individualResponses: z.array(IndividualResponse).optional().describe('FULL only'),
    journalEntries: z.array(JournalEntry).optional().describe('FULL only, newest first, never therapist-hidden entries'),
  })
  .meta({ id: 'ClientProgress' });
/** Parsed client progress. */
export type ClientProgress = z.infer<typeof ClientProgress>;
