import { z } from 'zod';
import { Timestamp } from '../common.js';

const Count = z.number().int().nonnegative();

/** Example answer of `GET /dashboard`. */
const DASHBOARD_EXAMPLE = {
  contacts: { total: 1284, new_this_week: 37 },
  leads: { total: 912, new_this_week: 21 },
  bookings: { today: 14, upcoming: 63, no_show_rate: 0.042 },
  inventory: { low_stock: 2 },
  alerts: { active: 3, by_severity: { critical: 0, warning: 3, info: 0 } },
  messages: { queued: 1, failed: 4 },
  generated_at: '2026-12-07T09:30:00.000Z',
};

/**
 * Answer of `GET /dashboard` (CareOps seed: "business metrics"): exact figures, each as costly
 * to read with a million records as with ten. "This week" is the current UTC day and the six
 * before it.
 */
export const Dashboard = z
  .object({
    contacts: z
      .object({
        total: Count.describe('Contacts not deleted, partner-referred and added by staff alike'),
        new_this_week: Count.describe('Of those, created in the last 7 UTC days (today included)'),
      })
      .describe('The people served'),
    leads: z
      .object({
        total: Count.describe('Leads received from partners, ever'),
        new_this_week: Count.describe('Received in the last 7 UTC days (today included)'),
      })
      .describe('Partner leads (`GET /admin/leads` lists them)'),
    bookings: z
      .object({
        today: Count.describe("Bookings starting today in the business time zone, cancelled ones left out"),
        upcoming: Count.describe('Scheduled bookings starting within the next 7 days'),
        no_show_rate: z
          .number()
          .min(0)
          .max(1)
          .nullable()
          .describe('No-shows over closed bookings that were attended or missed (completed + no-show), ever; null before the first'),
      })
      .describe('Appointments (`GET /bookings` lists them)'),
    inventory: z.object({ low_stock: Count.describe('Items at or below their low-stock threshold') }),
    alerts: z.object({
      active: Count.describe('Alerts not dismissed'),
      by_severity: z.object({ critical: Count, warning: Count, info: Count }),
    }),
    messages: z
      .object({
        queued: Count.describe('Waiting to be sent'),
        failed: Count.describe('The provider refused them (each raised an `sms_failed` alert)'),
      })
      .describe('The outbox of automated and staff SMS'),
    generated_at: Timestamp.describe('When the figures were read'),
  })
  .meta({ id: 'Dashboard', examples: [DASHBOARD_EXAMPLE] });
/** A parsed dashboard. */
export type Dashboard = z.infer<typeof Dashboard>;
