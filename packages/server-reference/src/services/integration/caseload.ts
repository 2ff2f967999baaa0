import type { IntegrationClient, IntegrationClientList, OutcomesResponse, PersonRef } from '@careos/contract';
import { permissionAtLeast } from '@careos/contract';
import { desc, inArray, or, sql } from 'drizzle-orm';
import { assessments, couples } from '../../db/schema/index.js';
import { mean, round } from '../../domain/trends.js';
import type { ServiceContext } from '../context.js';
import type { TherapistAlertService } from './alerts.js';
import type { ConsentService } from './consent.js';
import { toCoupleStatus } from './directory.js';
import { loadClients, loadCourses, loadLatestActivity } from './records.js';

/** The therapist's whole caseload: the client list and the outcome figures. */
export class CaseloadService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly consent: ConsentService,
    private readonly alerts: TherapistAlertService,
  ) {}

  /**
   * The consented clients, each with their couple (a partner who has not consented to this
   * therapist is `null`), latest activity, latest mood (STANDARD and FULL only), course
   * position and unread alerts.
   */
  async listClients(therapistId: string): Promise<IntegrationClientList> {
    const links = await this.consent.activeLinks(therapistId);
    const ids = links.map((l) => l.clientId);
    const db = this.ctx.db.orm;
    const [people, latest, courses, alertCounts, coupleRows] = await Promise.all([
      loadClients(db, ids, this.ctx.phi.cipher),
      loadLatestActivity(db, ids),
      loadCourses(db, ids),
      this.alerts.countsByClient(therapistId, ids),
      ids.length
        ? db
            .select()
            .from(couples)
            .where(or(inArray(couples.partner1Id, ids), inArray(couples.partner2Id, ids)))
            .orderBy(sql`(${couples.status} = 'active') desc`, desc(couples.id))
        : Promise.resolve([]),
    ]);
    // Only people who consented to this therapist are named; `people` holds exactly those.
    const ref = (id: string): PersonRef | null => {
      const person = people.get(id);
      return person ? { id, firstName: person.firstName, lastName: person.lastName } : null;
    };
    const result: IntegrationClient[] = [];
    for (const link of links) {
      const person = people.get(link.clientId);
      if (!person) continue;
      const couple = coupleRows.find((c) => c.partner1Id === link.clientId || c.partner2Id === link.clientId);
      const activity = latest.get(link.clientId);
      const course = courses.get(link.clientId);
      result.push({
        id: person.id,
        linkId: link.linkId,
        firstName: person.firstName,
        lastName: person.lastName,
        email: person.email,
        permissionLevel: link.permissionLevel,
        consentGrantedAt: link.consentGrantedAt.toISOString(),
        couple: couple ? { id: couple.id, status: toCoupleStatus(couple.status), partner1: ref(couple.partner1Id), partner2: ref(couple.partner2Id) } : null,
        latestActivity: activity?.latestDay ?? null,
        ...(permissionAtLeast(link.permissionLevel, 'STANDARD') ? { latestMood: activity?.latestMood ?? null } : {}),
        courseWeek: course?.currentWeek ?? null,
        courseActive: course?.isActive ?? false,
        unreadAlerts: alertCounts.get(link.clientId)?.unread ?? 0,
      });
    }
    return { clients: result, total: result.length };
  }

  /** Caseload-wide outcomes over the consented clients (CRISIS alerts count only where the therapist may see them). */
  async outcomes(therapistId: string): Promise<OutcomesResponse> {
    const links = await this.consent.activeLinks(therapistId);
    const ids = links.map((l) => l.clientId);
    const db = this.ctx.db.orm;
    const [courses, alertCounts, typeCounts] = await Promise.all([
      loadCourses(db, ids),
      this.alerts.countsByClient(therapistId, ids),
      ids.length
        ? db
            .select({ clientId: assessments.clientId, types: sql<number>`count(distinct ${assessments.type})::int` })
            .from(assessments)
            .where(inArray(assessments.clientId, ids))
            .groupBy(assessments.clientId)
        : Promise.resolve([]),
    ]);
    const types = new Map(typeCounts.map((r) => [r.clientId, Number(r.types)]));
    const rows = links.map((link) => {
      const course = courses.get(link.clientId);
      const counts = alertCounts.get(link.clientId);
      return {
        clientId: link.clientId,
        assessmentTypes: types.get(link.clientId) ?? 0,
        courseWeek: course?.currentWeek ?? null,
        courseCompleted: course?.completedAt != null,
        crisisAlerts: counts?.crisis ?? 0,
        milestones: counts?.milestones ?? 0,
      };
    });
    const weeks = rows.flatMap((r) => (r.courseWeek === null ? [] : [r.courseWeek]));
    const avg = mean(weeks);
    return {
      outcomes: {
        summary: {
          totalClients: rows.length,
          activeInCourse: links.filter((l) => courses.get(l.clientId)?.isActive).length,
          courseCompleted: rows.filter((r) => r.courseCompleted).length,
          totalCrisisAlerts: rows.reduce((sum, r) => sum + r.crisisAlerts, 0),
          totalMilestones: rows.reduce((sum, r) => sum + r.milestones, 0),
          avgCourseWeek: avg === null ? null : round(avg, 1),
        },
        clients: rows,
      },
    };
  }
}
