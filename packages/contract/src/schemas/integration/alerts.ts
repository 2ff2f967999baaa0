import { z } from 'zod';
import { ListQuery, NextCursor, QueryBoolean } from '../../common.js';
import { ALERT_TYPES } from '../../constants.js';
import { IntegrationId, PersonRef } from './common.js';

/** Alert type. */
export const TherapistAlertType = z.enum(ALERT_TYPES).meta({ id: 'TherapistAlertType' });
/** Alert type. */
export type TherapistAlertType = z.infer<typeof TherapistAlertType>;

/** Alert severities (seed §6), least to most urgent. */
export const ALERT_SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
/** Alert severity. */
export const TherapistAlertSeverity = z.enum(ALERT_SEVERITIES).meta({ id: 'TherapistAlertSeverity' });
/** Alert severity. */
export type TherapistAlertSeverity = z.infer<typeof TherapistAlertSeverity>;

/** Query of `GET /api/integration/alerts`. */
export const TherapistAlertListQuery = ListQuery.extend({
  type: TherapistAlertType.optional().describe('Only alerts of this type'),
  unreadOnly: QueryBoolean.optional().describe('Only unread alerts'),
  since: z.iso.datetime({ offset: true }).optional().describe('Only alerts created after this time'),
});

/** An alert about one of the therapist's clients. */
export const TherapistAlert = z
  .object({
    id: IntegrationId,
    clientId: IntegrationId,
    client: PersonRef,
    alertType: TherapistAlertType,
    severity: TherapistAlertSeverity,
    message: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    readAt: z.iso.datetime({ offset: true }).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'TherapistAlert' });
/** A parsed alert. */
export type TherapistAlert = z.infer<typeof TherapistAlert>;

/**
 * A page of alerts, newest first. `total` counts every alert matching the filters (all pages),
 * `unreadCount` the unread ones among them.
 */
export const TherapistAlertList = z
  .object({
    alerts: z.array(TherapistAlert),
    unreadCount: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    next_cursor: NextCursor,
  })
  .meta({ id: 'TherapistAlertList' });
/** Parsed alert list. */
export type TherapistAlertList = z.infer<typeof TherapistAlertList>;
