import { ErrorCode, ErrorText, permissionAtLeast, type CoupleDynamics } from '@careos/contract';
import { desc, eq } from 'drizzle-orm';
import { coupleProfiles, couples, matchups } from '../../db/schema/index.js';
import { addDays, dayOf } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { mean, round } from '../../domain/trends.js';
import type { ServiceContext } from '../context.js';
import type { ActiveLink, ConsentService } from './consent.js';
import { toCoupleStatus } from './directory.js';
import { loadActivities, loadAssessments, loadClients } from './records.js';

/** Days of activity the side-by-side comparison covers. */
export const DYNAMICS_WINDOW_DAYS = 30;

/**
 * Couple dynamics. Seed §7: a partner's data is never visible to the other partner's therapist
 * unless both consent — so each side is shown only if that partner consented to THIS therapist,
 * and the joint analyses (matchups, couple profile) only when both did.
 */
export class DynamicsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly consent: ConsentService,
  ) {}

  /**
   * @throws DomainError `NO_CONSENT` when neither partner consented to this therapist, or the
   * couple does not exist (the same answer, so existence is never revealed).
   */
  async get(therapistId: string, coupleId: string): Promise<CoupleDynamics> {
    const db = this.ctx.db.orm;
    const [couple] = await db.select().from(couples).where(eq(couples.id, coupleId));
    const links = couple ? await this.consent.activeLinks(therapistId, [couple.partner1Id, couple.partner2Id]) : [];
    if (!couple || links.length === 0) {
      throw new DomainError(ErrorCode.NO_CONSENT, ErrorText.noConsent, { message: 'Neither partner of this couple has consented to share data with this therapist' });
    }
    const byClient = new Map(links.map((l) => [l.clientId, l]));
    const shown = [...byClient.keys()];
    const today = dayOf(this.ctx.clock.now());
    const [people, scores, activity] = await Promise.all([
      loadClients(db, shown, this.ctx.phi.cipher),
      loadAssessments(db, shown, this.ctx.phi.cipher),
      loadActivities(db, shown, addDays(today, -(DYNAMICS_WINDOW_DAYS - 1)), today),
    ]);
    const side = (clientId: string, link: ActiveLink | undefined): CoupleDynamics['partner1'] => {
      const person = people.get(clientId);
      if (!link || !person) return null;
      const days = activity.get(clientId) ?? [];
      const moods = days.flatMap((d) => (d.mood === null ? [] : [d.mood]));
      const avg = mean(moods);
      return {
        user: { id: clientId, firstName: person.firstName, lastName: person.lastName },
        assessmentScores: (scores.get(clientId) ?? []).map((a) => ({ type: a.type, score: a.score, completedAt: a.completedAt.toISOString() })),
        activityDays: days.filter((d) => d.completed).length,
        ...(permissionAtLeast(link.permissionLevel, 'STANDARD') ? { moodAvg: avg === null ? null : round(avg, 1) } : {}),
      };
    };
    const partner1 = side(couple.partner1Id, byClient.get(couple.partner1Id));
    const partner2 = side(couple.partner2Id, byClient.get(couple.partner2Id));
    const both = partner1 !== null && partner2 !== null;
    const [matchupRows, [profile]] = both
      ? await Promise.all([
          db.select().from(matchups).where(eq(matchups.coupleId, coupleId)).orderBy(desc(matchups.generatedAt)),
          db.select().from(coupleProfiles).where(eq(coupleProfiles.coupleId, coupleId)),
        ])
      : [[], []];
    return {
      couple: { id: couple.id, status: toCoupleStatus(couple.status) },
      partner1,
      partner2,
      withheld: [...(partner1 ? [] : ['partner1' as const]), ...(partner2 ? [] : ['partner2' as const])],
      matchups: matchupRows.map((m) => ({ score: m.score, alignments: m.alignments, generatedAt: m.generatedAt.toISOString() })),
      coupleProfile: profile
        ? { attachmentDynamic: profile.attachmentDynamic, communicationStyle: profile.communicationStyle, strengths: profile.strengths, growthEdges: profile.growthEdges }
        : null,
    };
  }
}
