import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { encrypted, legacyPlaintext, ts } from './columns.js';

/** Completed assessments: scores (BASIC) and the client's own answers (FULL only). */
export const assessments = pgTable(
  'assessments',
  {
    id: text('id').primaryKey(),
    clientId: text('client_id').notNull(),
    type: text('type').notNull(),
    score: jsonb('score').$type<Record<string, unknown>>().notNull(),
    /** The client's own answers, as encrypted JSON text. */
    responsesEnc: encrypted('responses_enc'),
    completedAt: ts('completed_at').notNull(),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    responses: jsonb('responses').$type<Record<string, unknown>>(),
  },
  (t) => [index('assessments_client_idx').on(t.clientId, t.completedAt)],
);

/** One row per client and day: the daily check-in (mood and closeness 1-10, interactions). */
export const dailyActivities = pgTable(
  'daily_activities',
  {
    clientId: text('client_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    mood: integer('mood'),
    closeness: integer('closeness'),
    positiveInteractions: integer('positive_interactions').notNull().default(0),
    negativeInteractions: integer('negative_interactions').notNull().default(0),
    completed: boolean('completed').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.day] })],
);

/** Where a client is in the course. */
export const courseProgress = pgTable('course_progress', {
  clientId: text('client_id').primaryKey(),
  currentWeek: integer('current_week').notNull(),
  isActive: boolean('is_active').notNull(),
  startedAt: ts('started_at').notNull(),
  completedAt: ts('completed_at'),
});

/** The strategy of each course week a client reached. */
export const weeklyStrategies = pgTable(
  'weekly_strategies',
  {
    clientId: text('client_id').notNull(),
    weekNumber: integer('week_number').notNull(),
    theme: text('theme').notNull(),
    completedDays: integer('completed_days').notNull(),
    completedAt: ts('completed_at'),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.weekNumber] })],
);

/** Modules and activities a therapist assigned to a client. */
export const clientTasks = pgTable(
  'client_tasks',
  {
    id: text('id').primaryKey(),
    clientId: text('client_id').notNull(),
    therapistId: text('therapist_id').notNull(),
    descriptionEnc: encrypted('description_enc'),
    module: text('module'),
    activities: jsonb('activities').$type<string[]>().notNull(),
    notesEnc: encrypted('notes_enc'),
    dueDate: ts('due_date'),
    /** `low`, `medium` or `high`. */
    priority: text('priority').notNull(),
    /** `pending` or `completed`. */
    status: text('status').notNull(),
    createdAt: ts('created_at').notNull(),
    completedAt: ts('completed_at'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    description: legacyPlaintext('description'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    notes: legacyPlaintext('notes'),
  },
  (t) => [index('client_tasks_client_idx').on(t.clientId, t.therapistId)],
);

/** Alerts about a client for one therapist (CRISIS, RISK, MILESTONE, STAGNATION). */
export const therapistAlerts = pgTable(
  'therapist_alerts',
  {
    id: text('id').primaryKey(),
    therapistId: text('therapist_id').notNull(),
    clientId: text('client_id').notNull(),
    alertType: text('alert_type').notNull(),
    /** `LOW`, `MEDIUM`, `HIGH` or `CRITICAL`. */
    severity: text('severity').notNull(),
    messageEnc: encrypted('message_enc'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull(),
    readAt: ts('read_at'),
    createdAt: ts('created_at').notNull(),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    message: legacyPlaintext('message'),
  },
  (t) => [index('therapist_alerts_therapist_idx').on(t.therapistId, t.id)],
);

/** Client journal entries; `therapist_hidden` ones are never returned by any API (seed §7). */
export const journalEntries = pgTable(
  'journal_entries',
  {
    id: text('id').primaryKey(),
    clientId: text('client_id').notNull(),
    textEnc: encrypted('text_enc'),
    therapistHidden: boolean('therapist_hidden').notNull(),
    createdAt: ts('created_at').notNull(),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    text: legacyPlaintext('text'),
  },
  (t) => [index('journal_entries_client_idx').on(t.clientId, t.createdAt)],
);

/** Every generated session-prep report, kept under the id the caller was given. */
export const sessionPrepReports = pgTable(
  'session_prep_reports',
  {
    id: text('id').primaryKey(),
    therapistId: text('therapist_id').notNull(),
    clientId: text('client_id').notNull(),
    /** The report as encrypted JSON text (it quotes journal entries, alerts and names). */
    reportEnc: encrypted('report_enc'),
    createdAt: ts('created_at').notNull(),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    report: jsonb('report').$type<Record<string, unknown>>(),
  },
  (t) => [index('session_prep_reports_client_idx').on(t.clientId)],
);
