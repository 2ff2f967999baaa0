import { z } from 'zod';
import { IdParam, ListQuery, NextCursor, QueryBoolean, Timestamp, prefixedId } from '../common.js';
import { OPS_ALERT_SEVERITIES } from '../constants.js';

/** Severity of an operations alert. */
export const OpsAlertSeverity = z.enum(OPS_ALERT_SEVERITIES).meta({ id: 'OpsAlertSeverity' });

/**
 * An operations alert for staff: a failed SMS (`sms_failed`), payout (`payout_failed`) or
 * webhook delivery (`webhook_failed`), an item low on stock (`inventory_low`)… Its context
 * holds ids and figures, never PHI.
 */
export const OpsAlert = z
  .object({
    id: prefixedId('alrt'),
    type: z.string().describe("What happened, e.g. 'inventory_low', 'sms_failed'"),
    severity: OpsAlertSeverity,
    message: z.string(),
    context: z.record(z.string(), z.unknown()).describe('Ids and figures about what happened; never PHI'),
    subject: z
      .object({ type: z.string(), id: z.string() })
      .nullable()
      .describe('The record the alert is about (e.g. an inventory item), when it is about one'),
    created_at: Timestamp,
    dismissed_at: Timestamp.nullable().describe('When it stopped being active; null while active'),
    dismissed_by: z
      .string()
      .nullable()
      .describe('Id of the staff account that dismissed it; null while active, or when the server resolved it (stock restored)'),
  })
  .meta({ id: 'OpsAlert' });
/** A parsed operations alert. */
export type OpsAlert = z.infer<typeof OpsAlert>;

/** Query of `GET /alerts`. */
export const OpsAlertListQuery = ListQuery.extend({
  type: z.string().trim().min(1).max(64).optional().describe('Only alerts of this type'),
  severity: OpsAlertSeverity.optional().describe('Only alerts of this severity'),
  dismissed: QueryBoolean.optional().describe('Only dismissed (true) or active (false) alerts'),
});

/** A page of alerts, newest first. */
export const OpsAlertList = z.object({ alerts: z.array(OpsAlert), next_cursor: NextCursor }).meta({ id: 'OpsAlertList' });

/** Answer of `GET /alerts/count`: active (not dismissed) alerts, in all and by severity. */
export const OpsAlertCount = z
  .object({
    active: z.number().int().nonnegative(),
    by_severity: z.object({ critical: z.number().int().nonnegative(), warning: z.number().int().nonnegative(), info: z.number().int().nonnegative() }),
  })
  .meta({ id: 'OpsAlertCount' });
/** A parsed alert count. */
export type OpsAlertCount = z.infer<typeof OpsAlertCount>;

/** Path of the routes that name one alert. */
export const OpsAlertParams = z.object({ id: IdParam });
