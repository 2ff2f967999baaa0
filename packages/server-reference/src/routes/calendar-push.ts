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

/**
 * Microsoft Graph's two notification URLs. The validation handshake is answered with the token
 * as text; a batch (every item verified already) is answered at once with an empty 200 and acted
 * on afterwards.
 */
export function bindGraphPushRoutes(router: Router, kit: HttpKit): void {
  const { calendarPush } = kit.services;
  for (const [route, lifecycle] of [
    [routes.microsoftCalendarNotification, false],
    [routes.microsoftCalendarLifecycle, true],
  ] as const) {
    bindRoute(router, kit, route, async ({ query, body }) => {
      if (query.validationToken) return { body: query.validationToken };
      for (const item of body?.value ?? []) {
        const integrationId = await calendarPush.verify('microsoft', item.subscriptionId, item.clientState ?? '');
        if (!integrationId) throw new HttpError(403, { error: ErrorText.invalidSignature, code: ErrorCode.INVALID_SIGNATURE, message: 'clientState does not match a live subscription' });
        if (lifecycle) calendarPush.graphLifecycle(integrationId, item.lifecycleEvent ?? '');
        else calendarPush.schedule(integrationId);
      }
      return { body: '' };
    });
  }
}
