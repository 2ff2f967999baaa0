import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { calendarIntegrations } from './calendar.js';
import { encrypted, ts } from './columns.js';

/**
 * The live push channel of a connected calendar, at most one per integration: a Google Calendar
 * watch channel or a Microsoft Graph subscription on the staff member's events. The provider
 * names the channel in every notification (`X-Goog-Channel-ID`, Graph's `subscriptionId`) and
 * echoes the secret we gave it (`X-Goog-Channel-Token`, Graph's `clientState`); the secret is
 * sealed here like any other credential and compared in constant time. Deleting the
 * integration deletes the row (the channel is stopped at the provider first, see
 * `CalendarPush.stop`).
 */
export const calendarPushChannels = pgTable(
  'calendar_push_channels',
  {
    integrationId: text('integration_id')
      .primaryKey()
      .references(() => calendarIntegrations.id, { onDelete: 'cascade' }),
    staffId: text('staff_id').notNull(),
    provider: text('provider').notNull(),
    /** Google: the channel id we chose; Graph: the subscription id Graph assigned. */
    channelId: text('channel_id').notNull(),
    /** Google: the `resourceId` it answered (needed to stop the channel); null for Graph. */
    resourceId: text('resource_id'),
    /** The sealed secret the provider echoes in each notification (Google `token`, Graph `clientState`). */
    secretEnc: encrypted('secret_enc').notNull(),
    /** When the provider drops the channel unless it is renewed. */
    expiresAt: ts('expires_at').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('calendar_push_channels_channel_uq').on(t.provider, t.channelId)],
);
