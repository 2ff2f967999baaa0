import { randomUUID } from 'node:crypto';
import { graphError } from './graph-calendar.js';
import { bearerToken, type LocalApiReply, type LocalApiRequest } from './local-api.js';
import type { OAuthGrants } from './oauth-grants.js';

/** A subscription the fake Graph holds. */
export interface FakeSubscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | undefined;
  clientState: string | undefined;
  expirationDateTime: string;
  deleted: boolean;
}

/** What our server answered a notification. */
export interface GraphDelivery {
  subscriptionId: string;
  status: number;
  body: string;
}

/** The fake's subscriptions and the test's way to make Graph call. */
export interface FakeGraphSubscriptions {
  subscriptions: FakeSubscription[];
  live(): FakeSubscription[];
  /** The validation requests Graph made (URL, what came back). */
  validations: { url: string; status: number; body: string }[];
  /** Sends a change notification for `eventId` on every live subscription (or `only`). */
  notify(eventId: string, only?: FakeSubscription, override?: { clientState?: string; subscriptionId?: string }): Promise<GraphDelivery[]>;
  /** Sends a lifecycle notification to the subscription's lifecycle URL. */
  lifecycle(event: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed', subscription: FakeSubscription): Promise<GraphDelivery>;
  /** Drops a subscription as Graph does (before a `subscriptionRemoved`). */
  drop(subscription: FakeSubscription): void;
  /** Graph's idea of now, in ms (a test moving the server's clock moves this too). */
  now: () => number;
}

/** Graph's longest subscription on Outlook events. */
const MAX_MINUTES = 4230;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const allowedUrl = (value: unknown): boolean => {
  const url = typeof value === 'string' ? URL.parse(value) : null;
  return Boolean(url && (url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === '127.0.0.1')));
};

/**
 * Microsoft Graph subscriptions (`/v1.0/subscriptions`) as Graph answers them:
 * - `POST`: checks the body (`changeType`, `notificationUrl` https, `resource`, an
 *   `expirationDateTime` at most 4230 minutes ahead for events, `clientState` ≤ 128), then
 *   validates the notification URL — and the lifecycle URL — by POSTing `?validationToken=…`
 *   (`text/plain`, empty body) and requiring a 200 echoing the token within 10 s, before it
 *   answers `201` with the subscription; a failed validation is `400 ValidationError`;
 * - `PATCH /{id}` `{ expirationDateTime }`: 200; `DELETE /{id}`: 204; an unknown id is
 *   `404 ResourceNotFound`.
 */
export function graphSubscriptionRoutes(grants: OAuthGrants): { subscriptions: FakeGraphSubscriptions; handle(request: LocalApiRequest): Promise<LocalApiReply> | null } {
  const subscriptions: FakeSubscription[] = [];
  const validations: FakeGraphSubscriptions['validations'] = [];
  const post = async (url: string, body: unknown, subscriptionId: string): Promise<GraphDelivery> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    return { subscriptionId, status: res.status, body: await res.text() };
  };
  const validate = async (url: string): Promise<boolean> => {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    try {
      const target = new URL(url);
      target.searchParams.set('validationToken', token);
      const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      validations.push({ url, status: res.status, body: text });
      return res.status === 200 && text === token && (res.headers.get('content-type') ?? '').startsWith('text/plain');
    } catch {
      validations.push({ url, status: 0, body: '' });
      return false;
    }
  };
  const live = () => subscriptions.filter((s) => !s.deleted && Date.parse(s.expirationDateTime) > controls.now());
  const controls: FakeGraphSubscriptions = {
    subscriptions,
    validations,
    live,
    notify: (eventId, only, override = {}) =>
      Promise.all(
        (only ? [only] : live()).map((s) =>
          post(
            s.notificationUrl,
            {
              value: [
                {
                  subscriptionId: override.subscriptionId ?? s.id,
                  subscriptionExpirationDateTime: s.expirationDateTime,
                  changeType: 'updated',
                  resource: `Users/00000000-0000-0000-0000-000000000001/Events/${eventId}`,
                  resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': `Users/00000000-0000-0000-0000-000000000001/Events/${eventId}`, id: eventId },
                  clientState: override.clientState ?? s.clientState,
                  tenantId: TENANT,
                },
              ],
            },
            s.id,
          ),
        ),
      ),
    lifecycle: (event, s) =>
      post(s.lifecycleNotificationUrl!, { value: [{ subscriptionId: s.id, subscriptionExpirationDateTime: s.expirationDateTime, tenantId: TENANT, clientState: s.clientState, lifecycleEvent: event }] }, s.id),
    drop: (s) => void (s.deleted = true),
    now: () => Date.now(),
  };
  const handle = (request: LocalApiRequest): Promise<LocalApiReply> | null => {
    if (!request.path.startsWith('/v1.0/subscriptions')) return null;
    return (async (): Promise<LocalApiReply> => {
      if (!grants.isLiveAccessToken(bearerToken(request.headers.authorization as string | undefined) ?? '')) return graphError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(request.body || '{}') as Record<string, unknown>;
      } catch {
        return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
      }
      if (request.path === '/v1.0/subscriptions' && request.method === 'POST') {
        const expiration = Date.parse(String(body.expirationDateTime));
        if (typeof body.changeType !== 'string' || !/^(created|updated|deleted)(,(created|updated|deleted))*$/.test(body.changeType)) return graphError(400, 'InvalidRequest', 'Invalid changeType.');
        if (body.resource !== 'me/events') return graphError(400, 'InvalidRequest', 'Resource not found for the segment.');
        if (!allowedUrl(body.notificationUrl)) return graphError(400, 'InvalidRequest', 'The notification URL must be https.');
        if (body.lifecycleNotificationUrl !== undefined && !allowedUrl(body.lifecycleNotificationUrl)) return graphError(400, 'InvalidRequest', 'The lifecycle notification URL must be https.');
        if (Number.isNaN(expiration) || expiration > controls.now() + MAX_MINUTES * 60_000) return graphError(400, 'InvalidRequest', `Subscription expiration can only be ${MAX_MINUTES} minutes in the future.`);
        if (body.clientState !== undefined && (typeof body.clientState !== 'string' || body.clientState.length > 128)) return graphError(400, 'InvalidRequest', 'clientState must be at most 128 characters.');
        for (const url of [body.notificationUrl, body.lifecycleNotificationUrl].filter((u): u is string => typeof u === 'string')) {
          if (!(await validate(url))) return graphError(400, 'ValidationError', 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.');
        }
        const subscription: FakeSubscription = {
          id: randomUUID(),
          resource: body.resource,
          changeType: body.changeType,
          notificationUrl: body.notificationUrl as string,
          lifecycleNotificationUrl: body.lifecycleNotificationUrl as string | undefined,
          clientState: body.clientState as string | undefined,
          expirationDateTime: new Date(expiration).toISOString().replace(/\.\d+Z$/, 'Z'),
          deleted: false,
        };
        subscriptions.push(subscription);
        return { status: 201, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity', ...subscription, deleted: undefined, applicationId: '00000000-1111-2222-3333-444444444444', latestSupportedTlsVersion: 'v1_2' } };
      }
      const id = decodeURIComponent(request.path.slice('/v1.0/subscriptions/'.length));
      const subscription = subscriptions.find((s) => s.id === id && !s.deleted);
      if (!subscription) return graphError(404, 'ResourceNotFound', `The object was not found.`);
      if (request.method === 'PATCH') {
        const expiration = Date.parse(String(body.expirationDateTime));
        if (Number.isNaN(expiration) || expiration > controls.now() + MAX_MINUTES * 60_000) return graphError(400, 'InvalidRequest', `Subscription expiration can only be ${MAX_MINUTES} minutes in the future.`);
        subscription.expirationDateTime = new Date(expiration).toISOString().replace(/\.\d+Z$/, 'Z');
        return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity', ...subscription, deleted: undefined } };
      }
      if (request.method === 'DELETE') {
        subscription.deleted = true;
        return { status: 204 };
      }
      return graphError(405, 'BadRequest', 'Method not allowed.');
    })();
  };
  return { subscriptions: controls, handle };
}
