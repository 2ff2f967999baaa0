import { z } from 'zod';
import { CalendarDate, CoupleStatus, IntegrationId, PermissionLevel, PersonRef } from './common.js';

/**
 * A client's couple, as their therapist sees it. A partner who has not consented to this
 * therapist is `null` (seed §7: partner data is never visible unless both consent).
 */
export const ClientCouple = z
  .object({
    id: IntegrationId,
    status: CoupleStatus,
    partner1: PersonRef.nullable().describe('null when this partner has not consented to this therapist'),
    partner2: PersonRef.nullable().describe('null when this partner has not consented to this therapist'),
  })
  .meta({ id: 'ClientCouple' });

/** One consented client of the therapist (seed `GET /api/integration/clients`). */
export const IntegrationClient = z
  .object({
    id: IntegrationId,
    linkId: IntegrationId.describe('Id of the therapist-client link (the consent record)'),
    firstName: z.string(),
    lastName: z.string(),
    email: z.string(),
    permissionLevel: PermissionLevel,
    consentGrantedAt: z.iso.datetime({ offset: true }),
    couple: ClientCouple.nullable(),
    latestActivity: CalendarDate.nullable().describe('Date of the latest completed daily activity'),
    latestMood: z
      .number()
      .int()
      .min(1)
      .max(10)
      .nullable()
      .optional()
      .describe('Latest logged mood (1-10); absent at BASIC permission, null when none was logged'),
    courseWeek: z.number().int().nullable().describe('Current course week, null when the client never started the course'),
    courseActive: z.boolean(),
    unreadAlerts: z.number().int().nonnegative(),
  })
  .meta({ id: 'IntegrationClient' });
/** A parsed integration client. */
export type IntegrationClient = z.infer<typeof IntegrationClient>;

/** The therapist's consented clients. */
export const IntegrationClientList = z
  .object({ clients: z.array(IntegrationClient), total: z.number().int().nonnegative() })
  .meta({ id: 'IntegrationClientList' });
/** Parsed client list. */
export type IntegrationClientList = z.infer<typeof IntegrationClientList>;
