import { randomBytes } from 'node:crypto';
import { googleError } from './google-calendar.js';
import { bearerToken, type LocalApiReply, type LocalApiRequest } from './local-api.js';
import type { OAuthGrants } from './oauth-grants.js';

/** A watch channel the fake Google opened. */
export interface FakeChannel {
  id: string;
  resourceId: string;
  address: string;
  token: string | undefined;
  /** Milliseconds since the epoch, as Google writes `expiration`. */
  expiration: number;
  stopped: boolean;
  /** Next `X-Goog-Message-Number`. */
  messageNumber: number;
}

/** What a notification got back from the receiver. */
export interface Delivery {
  channelId: string;
  status: number;
  body: string;
}

/** The fake's push channels and the test's way to make Google call. */
export interface FakeGoogleWatch {
  channels: FakeChannel[];
  /** The channels not stopped. */
  live(): FakeChannel[];
  /**
   * Sends a notification on every live channel (or the one given), as Google does after a
   * change: an empty POST with the `X-Goog-*` headers. Resolves with what the receiver answered.
   */
  notify(state?: 'exists' | 'not_exists' | 'sync', only?: FakeChannel, override?: { token?: string; channelId?: string }): Promise<Delivery[]>;
  /** The `sync` messages Google sent when channels opened (delivered after the watch answer). */
  syncDeliveries: Promise<Delivery>[];
}

const WATCH = '/calendar/v3/calendars/primary/events/watch';
const STOP = '/calendar/v3/channels/stop';
/** Google's default (and, for events, usual longest) channel lifetime. */
const DEFAULT_TTL_S = 604_800;

/**
 * Google's push channels on the primary calendar's events, as the Calendar API answers:
 * - `POST …/events/watch` `{ id, type: "web_hook", address, token?, params: { ttl } }`: 200 with
 *   `kind: "api#channel"`, `resourceId`, `resourceUri`, `expiration` (ms, as a string); `400
 *   push.webhookUrlNotHttps`-style errors for a bad type or address, `400 channelIdNotUnique`
 *   for an id in use. Right after answering, Google sends the `sync` message to the address;
 * - `POST /calendar/v3/channels/stop` `{ id, resourceId }`: 204, `404 notFound` when unknown.
 * The address may be plain http only on loopback (the real Google wants https).
 */
export function googleWatchRoutes(grants: OAuthGrants): { watch: FakeGoogleWatch; handle(request: LocalApiRequest): LocalApiReply | null } {
  const channels: FakeChannel[] = [];
  const syncDeliveries: Promise<Delivery>[] = [];
  const send = async (channel: FakeChannel, state: string, override: { token?: string; channelId?: string } = {}): Promise<Delivery> => {
    const headers: Record<string, string> = {
      'x-goog-channel-id': override.channelId ?? channel.id,
      'x-goog-message-number': String(channel.messageNumber++),
      'x-goog-resource-id': channel.resourceId,
      'x-goog-resource-state': state,
      'x-goog-resource-uri': 'https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json',
      'x-goog-channel-expiration': new Date(channel.expiration).toUTCString(),
    };
    const token = override.token ?? channel.token;
    if (token !== undefined) headers['x-goog-channel-token'] = token;
    const res = await fetch(channel.address, { method: 'POST', headers, signal: AbortSignal.timeout(10_000) });
    return { channelId: channel.id, status: res.status, body: await res.text() };
  };
  const watch: FakeGoogleWatch = {
    channels,
    syncDeliveries,
    live: () => channels.filter((c) => !c.stopped && c.expiration > Date.now()),
    notify: (state = 'exists', only, override) => Promise.all((only ? [only] : watch.live()).map((c) => send(c, state, override))),
  };
  const handle = (request: LocalApiRequest): LocalApiReply | null => {
    if (request.path !== WATCH && request.path !== STOP) return null;
    if (!grants.isLiveAccessToken(bearerToken(request.headers.authorization as string | undefined) ?? '')) {
      return googleError(401, 'authError', 'Request had invalid authentication credentials.', 'UNAUTHENTICATED');
    }
    if (request.method !== 'POST') return googleError(405, 'httpMethodNotAllowed', 'Method Not Allowed');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body || '{}') as Record<string, unknown>;
    } catch {
      return googleError(400, 'parseError', 'Parse Error');
    }
    if (request.path === STOP) {
      const channel = channels.find((c) => c.id === body.id && c.resourceId === body.resourceId && !c.stopped);
      if (!channel) return googleError(404, 'notFound', `Channel '${String(body.id)}' not found for project '123456789012'`);
      channel.stopped = true;
      return { status: 204 };
    }
    if (typeof body.id !== 'string' || !/^[A-Za-z0-9\-_+/=]{1,64}$/.test(body.id)) return googleError(400, 'invalid', 'Invalid channel id.');
    if (body.type !== 'web_hook') return googleError(400, 'invalid', 'Invalid channel type.');
    const address = typeof body.address === 'string' ? URL.parse(body.address) : null;
    if (!address || !(address.protocol === 'https:' || (address.protocol === 'http:' && address.hostname === '127.0.0.1'))) {
      return googleError(400, 'push.webhookUrlNotHttps', 'WebHook callback must be HTTPS: ' + String(body.address));
    }
    if (channels.some((c) => c.id === body.id)) return googleError(400, 'channelIdNotUnique', `Channel id ${body.id} not unique`);
    if (body.token !== undefined && (typeof body.token !== 'string' || body.token.length > 256)) return googleError(400, 'invalid', 'Invalid channel token.');
    const ttl = Number((body.params as { ttl?: unknown } | undefined)?.ttl ?? DEFAULT_TTL_S);
    const channel: FakeChannel = {
      id: body.id,
      resourceId: randomBytes(12).toString('base64url'),
      address: address.toString(),
      token: body.token as string | undefined,
      expiration: Date.now() + Math.min(Number.isFinite(ttl) && ttl > 0 ? ttl : DEFAULT_TTL_S, DEFAULT_TTL_S) * 1000,
      stopped: false,
      messageNumber: 1,
    };
    channels.push(channel);
    // Google confirms the channel with a `sync` message once it has answered.
    syncDeliveries.push(new Promise((resolve) => setTimeout(resolve, 20)).then(() => send(channel, 'sync')).catch(() => ({ channelId: channel.id, status: 0, body: '' })));
    return {
      status: 200,
      body: {
        kind: 'api#channel',
        id: channel.id,
        resourceId: channel.resourceId,
        resourceUri: 'https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json',
        ...(channel.token === undefined ? {} : { token: channel.token }),
        expiration: String(channel.expiration),
      },
    };
  };
  return { watch, handle };
}
