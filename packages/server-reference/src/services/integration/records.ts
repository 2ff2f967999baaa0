import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { FieldCipher } from '../../crypto/field-cipher.js';
import type { Executor } from '../../db/database.js';
import { assessments, clients, clientTasks, courseProgress, dailyActivities, weeklyStrategies } from '../../db/schema/index.js';

/**
 * Loaders for the client data the integration reads share. Each takes a list of clients and
 * answers with one query, so caseload-wide endpoints cost a handful of queries, not one per client.
 */

/** A stored assessment, the client's answers decrypted. */
export type AssessmentRow = Omit<typeof assessments.$inferSelect, 'responses' | 'responsesEnc'> & { responses: Record<string, unknown> };
/** A client, their name and email decrypted. */
export interface ClientPerson {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  createdAt: Date;
}
/** A stored day of activity. */
export type ActivityRow = typeof dailyActivities.$inferSelect;
/** A stored course position. */
export type CourseRow = typeof courseProgress.$inferSelect;

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const row of rows) {
    const list = out.get(key(row));
    if (list) list.push(row);
    else out.set(key(row), [row]);
  }
  return out;
}

/** A stored client row as the API reads it, its PHI decrypted. */
export function openClient(row: Pick<typeof clients.$inferSelect, 'id' | 'firstNameEnc' | 'lastNameEnc' | 'emailEnc' | 'createdAt'>, cipher: FieldCipher): ClientPerson {
  return {
    id: row.id,
    firstName: cipher.open(clients.firstNameEnc, row.firstNameEnc!),
    lastName: cipher.open(clients.lastNameEnc, row.lastNameEnc!),
    email: cipher.open(clients.emailEnc, row.emailEnc!),
    createdAt: row.createdAt,
  };
}

/** Clients by id, decrypted. */
export async function loadClients(db: Executor, clientIds: readonly string[], cipher: FieldCipher): Promise<Map<string, ClientPerson>> {
  if (clientIds.length === 0) return new Map();
  const rows = await db
    .select({ id: clients.id, firstNameEnc: clients.firstNameEnc, lastNameEnc: clients.lastNameEnc, emailEnc: clients.emailEnc, createdAt: clients.createdAt })
    .from(clients)
    .where(inArray(clients.id, [...clientIds]));
  return new Map(rows.map((r) => [r.id, openClient(r, cipher)]));
}

/** Each client's assessments, oldest first, answers decrypted. */
export async function loadAssessments(db: Executor, clientIds: readonly string[], cipher: FieldCipher): Promise<Map<string, AssessmentRow[]>> {
  if (clientIds.length === 0) return new Map();
  const rows = await db
    .select({ id: assessments.id, clientId: assessments.clientId, type: assessments.type, score: assessments.score, responsesEnc: assessments.responsesEnc, completedAt: assessments.completedAt })
    .from(assessments)
    .where(inArray(assessments.clientId, [...clientIds]))
    .orderBy(asc(assessments.completedAt), asc(assessments.id));
  return groupBy(
    rows.map(({ responsesEnc, ...row }) => ({ ...row, responses: cipher.openJson<Record<string, unknown>>(assessments.responsesEnc, responsesEnc!) })),
    (r) => r.clientId,
  );
}

/** Each client's days of activity between two days (inclusive), oldest first. */
export async function loadActivities(db: Executor, clientIds: readonly string[], fromDay: string, toDay: string): Promise<Map<string, ActivityRow[]>> {
  if (clientIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(dailyActivities)
    .where(and(inArray(dailyActivities.clientId, [...clientIds]), gte(dailyActivities.day, fromDay), lte(dailyActivities.day, toDay)))
    .orderBy(asc(dailyActivities.day));
  return groupBy(rows, (r) => r.clientId);
}

/** Each client's latest completed day and latest logged mood (any time). */
export async function loadLatestActivity(db: Executor, clientIds: readonly string[]): Promise<Map<string, { latestDay: string | null; latestMood: number | null }>> {
  if (clientIds.length === 0) return new Map();
  const rows = await db
    .select({
      clientId: dailyActivities.clientId,
      latestDay: sql<string | null>`max(${dailyActivities.day}) filter (where ${dailyActivities.completed})`,
      latestMood: sql<number | null>`(array_agg(${dailyActivities.mood} order by ${dailyActivities.day} desc) filter (where ${dailyActivities.mood} is not null))[1]`,
    })
    .from(dailyActivities)
    .where(inArray(dailyActivities.clientId, [...clientIds]))
    .groupBy(dailyActivities.clientId);
  return new Map(rows.map((r) => [r.clientId, { latestDay: r.latestDay === null ? null : String(r.latestDay), latestMood: r.latestMood === null ? null : Number(r.latestMood) }]));
}

/** Each client's earliest day of activity. */
export async function loadFirstActivityDay(db: Executor, clientId: string): Promise<string | null> {
  const [row] = await db.select({ first: sql<string | null>`min(${dailyActivities.day})` }).from(dailyActivities).where(eq(dailyActivities.clientId, clientId));
  return row?.first == null ? null : String(row.first);
}

/** Each client's course position. */
export async function loadCourses(db: Executor, clientIds: readonly string[]): Promise<Map<string, CourseRow>> {
  if (clientIds.length === 0) return new Map();
  const rows = await db.select().from(courseProgress).where(inArray(courseProgress.clientId, [...clientIds]));
  return new Map(rows.map((r) => [r.clientId, r]));
}

/** A client's weekly strategies, by week. */
export async function loadStrategies(db: Executor, clientId: string) {
  return db.select().from(weeklyStrategies).where(eq(weeklyStrategies.clientId, clientId)).orderBy(asc(weeklyStrategies.weekNumber));
}

/** Completed and pending tasks this therapist assigned to a client. */
export async function loadTaskCounts(db: Executor, therapistId: string, clientId: string): Promise<{ completed: number; pending: number }> {
  const [row] = await db
    .select({
      completed: sql<number>`count(*) filter (where ${clientTasks.status} = 'completed')::int`,
      pending: sql<number>`count(*) filter (where ${clientTasks.status} = 'pending')::int`,
    })
    .from(clientTasks)
    .where(and(eq(clientTasks.therapistId, therapistId), eq(clientTasks.clientId, clientId)));
  return { completed: Number(row?.completed ?? 0), pending: Number(row?.pending ?? 0) };
}
