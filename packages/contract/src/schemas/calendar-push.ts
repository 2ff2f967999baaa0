import { z } from 'zod';

/**
 * The headers of a Google Calendar push notification (the body is empty). Google names the
 * channel and echoes the token we gave it; `X-Goog-Resource-State` is `sync` once when the
 * channel opens, then `exists` (something changed) or `not_exists` (the resource is gone).
 */
export const GoogleCalendarNotificationHeaders = z
  .object({
    'x-goog-channel-id': z.string().min(1).max(256).describe('The channel id CareOS chose when it opened the watch'),
    'x-goog-channel-token': z.string().max(256).optional().describe('The secret CareOS gave the channel (the scheme’s credential)'),
    'x-goog-resource-state': z.enum(['sync', 'exists', 'not_exists']).describe('`sync` when the channel opens; `exists` or `not_exists` after a change'),
    'x-goog-resource-id': z.string().max(256).optional().describe('Google’s id of the watched calendar'),
    'x-goog-message-number': z.string().max(32).optional().describe('Sequence number of the notification on this channel'),
  });

/** What CareOS answers a verified calendar notification. */
export const CalendarNotificationResponse = z
  .object({
    received: z.literal(true),
    sync_scheduled: z.boolean().describe('A sync of the calendar will run shortly (false for the `sync` message that opens a channel)'),
  })
  .meta({ id: 'CalendarNotificationResponse' });

/** `?validationToken=`: Graph validating a notification URL (the token must be echoed as text). */
export const GraphNotificationQuery = z.object({
  validationToken: z.string().max(1024).optional().describe('Sent by Graph when a subscription is created: answered 200 `text/plain` with the token'),
});

/** One change or lifecycle notification of a Graph subscription (the fields CareOS reads). */
export const GraphNotification = z
  .object({
    subscriptionId: z.string().max(256),
    clientState: z.string().max(256).optional().describe('The secret CareOS gave the subscription (the scheme’s credential)'),
    changeType: z.string().max(64).optional(),
    lifecycleEvent: z.string().max(64).optional().describe('Lifecycle notifications: `reauthorizationRequired`, `subscriptionRemoved` or `missed`'),
    resource: z.string().max(2048).optional(),
    subscriptionExpirationDateTime: z.string().max(64).optional(),
    tenantId: z.string().max(64).optional(),
  })
  .meta({ id: 'GraphNotification' });

/** What Graph POSTs: a batch of notifications (absent for the validation handshake). */
export const GraphNotificationBatch = z
  .object({ value: z.array(GraphNotification).min(1).max(1000).optional().describe('The notifications (absent only in the validation handshake)') })
  .meta({ id: 'GraphNotificationBatch' });

/** The validation token echoed, or nothing for a batch of notifications. */
export const GraphNotificationAnswer = z.string().max(1024).meta({ id: 'GraphNotificationAnswer' });
