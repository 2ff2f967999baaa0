import { createHash } from 'node:crypto';
import type { PermissionLevel } from '@careos/contract';
import {
  assessments,
  clientLinks,
  clientTasks,
  coupleProfiles,
  courseProgress,
  dailyActivities,
  journalEntries,
  matchups,
  therapistAlerts,
  weeklyStrategies,
} from '../../db/schema/index.js';
import { addDays, dayOf } from '../../domain/calendar.js';
import { newId } from '../../domain/ids.js';
import type { ServiceContext } from '../context.js';
import { SettingKey, type SettingsService } from '../settings.js';
import type { IntegrationAccessService } from './access.js';
import { COURSE_THEMES, DEMO_ALERTS, DEMO_ASSESSMENTS, DEMO_CLIENTS, DEMO_COUPLES, DEMO_JOURNALS, DEMO_TASKS, DEMO_THERAPIST_ID, type DemoClient } from './demo-data.js';
import type { DirectoryService } from './directory.js';

/** The integration part of `demo-credentials.json`. */
export interface IntegrationDemoCredentials {
  partnerId: string;
  apiKey: string;
  apiSecret: string;
  therapistId: string;
  /** One demo client per case, for tools and tests. */
  clients: { basic: string; standard: string; full: string; noConsent: string };
  /** A couple where both partners consented to the demo therapist. */
  coupleId: string;
  /** A couple where only one partner consented (the other side is withheld). */
  partialCoupleId: string;
}

interface Stored {
  partnerId: string;
  apiKey: string;
  apiSecret: string;
  clientIds: Record<string, string>;
  coupleIds: Record<string, string>;
}

const DAYS_OF_HISTORY = 90;
const DAY_MS = 86_400_000;

/** A small deterministic generator (mulberry32), so the demo histories are the same on every run. */
function random(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp = (value: number) => Math.min(10, Math.max(1, Math.round(value)));

/**
 * Seeds the integration demo: one partner with a key and secret, the seed's example therapist,
 * a caseload covering every permission level and consent case, and 90 days of generated history
 * ending today. Running it again adds nothing (and re-issues the key only if it stopped working).
 */
export class IntegrationDemo {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly access: IntegrationAccessService,
    private readonly directory: DirectoryService,
  ) {}

  /** Seeds (or finds) the demo caseload and returns its credentials. */
  async seed(settings: SettingsService): Promise<IntegrationDemoCredentials> {
    const storedText = await settings.get(SettingKey.demoIntegration);
    let stored = storedText ? (JSON.parse(storedText) as Stored) : null;
    if (!stored || !(await this.directory.therapistExists(DEMO_THERAPIST_ID))) stored = await this.#create();
    if (!(await this.access.keyWorks(stored.apiKey, stored.apiSecret))) {
      const issued = await this.access.createKey(stored.partnerId, { environment: 'test', revokeExisting: false });
      stored = { ...stored, apiKey: issued.apiKey, apiSecret: issued.apiSecret };
    }
    const text = JSON.stringify(stored);
    if (text !== storedText) await settings.set(SettingKey.demoIntegration, text);
    return {
      partnerId: stored.partnerId,
      apiKey: stored.apiKey,
      apiSecret: stored.apiSecret,
      therapistId: DEMO_THERAPIST_ID,
      clients: { basic: stored.clientIds.priya!, standard: stored.clientIds.jane!, full: stored.clientIds.john!, noConsent: stored.clientIds.sam! },
      coupleId: stored.coupleIds.doe!,
      partialCoupleId: stored.coupleIds.garcia!,
    };
  }

  async #create(): Promise<Stored> {
    const now = this.ctx.clock.now();
    const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const created = await this.access.createPartner({ name: 'SuperTool (demo)', environment: 'test', ipAllowlist: [], rateLimitPerMinute: null });
    await this.directory.createTherapist({ id: DEMO_THERAPIST_ID, firstName: 'Maya', lastName: 'Chen', email: 'maya.chen@example.com', active: true });
    const other = await this.directory.createTherapist({ firstName: 'Ben', lastName: 'Okafor', email: 'ben.okafor@example.com', active: true });

    const clientIds: Record<string, string> = {};
    for (const c of DEMO_CLIENTS) {
      const client = await this.directory.createClient({ firstName: c.firstName, lastName: c.lastName, email: `${c.key}@example.com`, createdAt: ago(DAYS_OF_HISTORY + 30) });
      clientIds[c.key] = client.id;
    }
    const coupleIds: Record<string, string> = {};
    for (const couple of DEMO_COUPLES) {
      const row = await this.directory.createCouple({ partner1Id: clientIds[couple.partner1]!, partner2Id: clientIds[couple.partner2]!, status: 'active' });
      coupleIds[couple.key] = row.id;
    }

    const { cipher } = this.ctx.phi;
    await this.ctx.db.orm.transaction(async (tx) => {
      const link = (therapistId: string, clientId: string, level: PermissionLevel, revoked: boolean) => ({
        id: newId('lnk', now),
        therapistId,
        clientId,
        permissionLevel: level,
        consentGrantedAt: ago(DAYS_OF_HISTORY),
        consentRevokedAt: revoked ? ago(10) : null,
        createdAt: ago(DAYS_OF_HISTORY),
        updatedAt: now,
      });
      const links = DEMO_CLIENTS.flatMap((c) => [
        ...(c.consent === 'none' ? [] : [link(DEMO_THERAPIST_ID, clientIds[c.key]!, c.consent === 'revoked' ? 'STANDARD' : c.consent, c.consent === 'revoked')]),
        ...(c.otherTherapist ? [link(other.id, clientIds[c.key]!, c.otherTherapist, false)] : []),
      ]);
      await tx.insert(clientLinks).values(links);

      const today = dayOf(now);
      for (const c of DEMO_CLIENTS) {
        const clientId = clientIds[c.key]!;
        await tx.insert(dailyActivities).values(this.#history(c, clientId, today));
        await tx.insert(courseProgress).values({
          clientId,
          currentWeek: c.courseWeek ?? 1,
          isActive: c.courseState === 'active',
          startedAt: ago((c.courseWeek ?? 1) * 7),
          completedAt: c.courseState === 'completed' ? ago(4) : null,
        });
        await tx.insert(weeklyStrategies).values(
          COURSE_THEMES.slice(0, c.courseWeek ?? 1).map((theme, i) => {
            const week = i + 1;
            const done = week < (c.courseWeek ?? 1) || c.courseState === 'completed';
            return { clientId, weekNumber: week, theme, completedDays: done ? 7 : 3, completedAt: done ? ago(((c.courseWeek ?? 1) - week) * 7 + 4) : null };
          }),
        );
        const taken = DEMO_ASSESSMENTS[c.key] ?? [];
        if (taken.length) {
          const rng = random(`${c.key}:answers`);
          await tx.insert(assessments).values(
            taken.map((a) => ({
              id: newId('asmt', now),
              clientId,
              type: a.type,
              score: a.score,
              responsesEnc: cipher.sealJson(
                assessments.responsesEnc,
                Object.fromEntries(Array.from({ length: 6 }, (_, q) => [`q${q + 1}`, 1 + Math.floor(rng() * 5)])),
              ),
              completedAt: ago(a.daysAgo),
            })),
          );
        }
        const journals = DEMO_JOURNALS[c.key] ?? [];
        if (journals.length) {
          await tx.insert(journalEntries).values(journals.map((j) => ({ id: newId('jrnl', now), clientId, textEnc: cipher.seal(journalEntries.textEnc, j.text), therapistHidden: j.hidden, createdAt: ago(j.daysAgo) })));
        }
      }

      for (const couple of DEMO_COUPLES) {
        const coupleId = coupleIds[couple.key]!;
        await tx.insert(matchups).values(couple.matchups.map((m) => ({ id: newId('mtch', now), coupleId, score: m.score, alignments: m.alignments, generatedAt: ago(m.daysAgo) })));
        await tx.insert(coupleProfiles).values({
          coupleId,
          attachmentDynamic: couple.profile.attachmentDynamic,
          communicationStyle: couple.profile.communicationStyle,
          strengths: [...couple.profile.strengths],
          growthEdges: [...couple.profile.growthEdges],
          updatedAt: now,
        });
      }

      await tx.insert(clientTasks).values(
        DEMO_TASKS.map((t) => ({
          id: newId('task', now),
          clientId: clientIds[t.client]!,
          therapistId: DEMO_THERAPIST_ID,
          descriptionEnc: cipher.seal(clientTasks.descriptionEnc, t.description),
          module: t.module,
          activities: t.activities,
          notesEnc: null,
          dueDate: t.dueInDays === null ? null : new Date(Date.parse(`${addDays(today, t.dueInDays)}T00:00:00Z`)),
          priority: t.priority,
          status: t.completedDaysAgo === null ? 'pending' : 'completed',
          createdAt: ago(t.daysAgo),
          completedAt: t.completedDaysAgo === null ? null : ago(t.completedDaysAgo),
        })),
      );

      // Historical alerts go straight in: they happened before any webhook was registered.
      for (const a of DEMO_ALERTS) {
        await tx.insert(therapistAlerts).values({
          id: newId('talrt', ago(a.daysAgo)),
          therapistId: DEMO_THERAPIST_ID,
          clientId: clientIds[a.client]!,
          alertType: a.type,
          severity: a.severity,
          messageEnc: cipher.seal(therapistAlerts.messageEnc, a.message),
          metadata: a.metadata,
          readAt: a.read ? ago(a.daysAgo - 0.5) : null,
          createdAt: ago(a.daysAgo),
        });
      }
    });
    return { partnerId: created.partner.id, apiKey: created.apiKey, apiSecret: created.apiSecret, clientIds, coupleIds };
  }

  /** 90 days of check-ins: completion by chance, mood drifting along the client's trend. */
  #history(c: DemoClient, clientId: string, today: string) {
    const rng = random(`${c.key}:days`);
    const rows = [];
    for (let i = DAYS_OF_HISTORY - 1; i >= 0; i--) {
      const day = addDays(today, -i);
      const completed = rng() < c.completion;
      if (!completed && rng() < 0.5) continue;
      const mood = clamp(c.moodBase + c.moodDrift * (DAYS_OF_HISTORY - i) + (rng() - 0.5) * 3);
      rows.push({
        clientId,
        day,
        mood: completed ? mood : null,
        closeness: completed ? clamp(mood + (rng() - 0.5) * 2) : null,
        positiveInteractions: completed ? Math.floor(rng() * 8) + 1 : 0,
        negativeInteractions: completed ? Math.floor(rng() * 3) : 0,
        completed,
      });
    }
    return rows;
  }
}
