import { ErrorCode, ErrorText, routes } from '@careos/contract';
import type { Router } from 'express';
import { HttpError } from '../http/errors.js';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/**
 * The calendar change notifications of the push channels CareOS opens (`CalendarPush`). The
 * channel and its secret are checked before any of this runs (`ProviderSignatures`); the sync a
 * change asks for runs after the answer, so the provider never waits on it.
 */
export function bindCalendarPushRoutes(router: Router, kit: HttpKit): void {
  const { calendarPush } = kit.services;

  bindRoute(router, kit, routes.googleCalendarNotification, async ({ headers, ctx }) => {
    const integrationId = await calendarPush.verify('google', headers['x-goog-channel-id'], headers['x-goog-channel-token'] ?? '');
    // Checked already; a channel replaced in between is refused like any unknown one.
    if (!integrationId) throw new HttpError(403, { error: ErrorText.invalidSignature, code: ErrorCode.INVALID_SIGNATURE, message: 'X-Goog-Channel-Token does not match a live channel' });
    ctx.auditSubject = { type: 'calendar_integration', id: integrationId };
    const { syncScheduled } = calendarPush.googleNotified(integrationId, headers['x-goog-resource-state']);
    return { body: { received: true as const, sync_scheduled: syncScheduled } };
  });
}
