import { CalendarTransport, type TransportOptions } from './api-transport.js';
import { CalendarApiError, type EventsApiAuth } from './events-api.js';

/** A channel the provider opened: what must be kept to verify and end it. */
export interface OpenedChannel {
  /** Google: the id we chose; Graph: the subscription id it assigned. */
  channelId: string;
  /** Google's `resourceId` (needed by `channels.stop`); null for Graph. */
  resourceId: string | null;
  expiresAt: Date;
}

/** Google's `events.watch` and `channels.stop` on the primary calendar (Calendar API v3). */
export class GooglePushApi {
  readonly #http: CalendarTransport;
  readonly #base: string;

  /** @param apiBaseUrl the origin (and any path) before `/calendar/v3`, as `GoogleEventsApi` takes it */
  constructor(apiBaseUrl: string, auth: EventsApiAuth, options: TransportOptions = {}) {
    this.#http = new CalendarTransport('google', auth, options);
    this.#base = `${apiBaseUrl.replace(/\/$/, '')}/calendar/v3`;
  }

  /**
   * Opens a `web_hook` channel: Google then POSTs to `address` (https only) with our `token` in
   * `X-Goog-Channel-Token` whenever an event of the calendar changes, until `expiration`.
   */
  async watch(input: { id: string; address: string; token: string; ttlSeconds: number }): Promise<OpenedChannel> {
    const answer = await this.#http.call('POST', `${this.#base}/calendars/primary/events/watch`, {
      id: input.id,
      type: 'web_hook',
      address: input.address,
      token: input.token,
      params: { ttl: String(input.ttlSeconds) },
    });
    if (answer.status !== 200) throw this.#http.fail(answer);
    const resourceId = answer.body.resourceId;
    const expiration = Number(answer.body.expiration);
    if (typeof resourceId !== 'string' || !Number.isFinite(expiration)) throw new CalendarApiError('google', 200, 'bad_channel');
    return { channelId: input.id, resourceId, expiresAt: new Date(expiration) };
  }

  /** Stops a channel; one Google no longer knows (404) counts as stopped. */
  async stop(channelId: string, resourceId: string): Promise<void> {
    const answer = await this.#http.call('POST', `${this.#base}/channels/stop`, { id: channelId, resourceId });
    if (answer.status === 200 || answer.status === 204 || answer.status === 404) return;
    throw this.#http.fail(answer);
  }
}

/** Microsoft Graph subscriptions to the signed-in user's events. */
export class GraphPushApi {
  readonly #http: CalendarTransport;
  readonly #origin: string;

  /** @param origin Graph's origin, `https://graph.microsoft.com` in production */
  constructor(origin: string, auth: EventsApiAuth, options: TransportOptions = {}) {
    this.#http = new CalendarTransport('microsoft', auth, options);
    this.#origin = origin.replace(/\/$/, '');
  }

  /**
   * Creates a subscription on `me/events`. Graph validates `notificationUrl` (and the lifecycle
   * URL) before answering, by POSTing a `validationToken` that must be echoed within 10 s.
   */
  async subscribe(input: { notificationUrl: string; lifecycleNotificationUrl: string; clientState: string; expiresAt: Date }): Promise<OpenedChannel> {
    const answer = await this.#http.call('POST', `${this.#origin}/v1.0/subscriptions`, {
      changeType: 'created,updated,deleted',
      notificationUrl: input.notificationUrl,
      lifecycleNotificationUrl: input.lifecycleNotificationUrl,
      resource: 'me/events',
      expirationDateTime: input.expiresAt.toISOString(),
      clientState: input.clientState,
    });
    if (answer.status !== 201 && answer.status !== 200) throw this.#http.fail(answer);
    return { channelId: stringField(answer.body.id), resourceId: null, expiresAt: dateField(answer.body.expirationDateTime) };
  }

  /**
   * Extends a subscription (also what a `reauthorizationRequired` lifecycle event asks for).
   *
   * @returns the new expiry, or `null` when Graph no longer knows the subscription (404)
   */
  async renew(subscriptionId: string, expiresAt: Date): Promise<Date | null> {
    const answer = await this.#http.call('PATCH', `${this.#origin}/v1.0/subscriptions/${encodeURIComponent(subscriptionId)}`, { expirationDateTime: expiresAt.toISOString() });
    if (answer.status === 404) return null;
    if (answer.status !== 200) throw this.#http.fail(answer);
    return dateField(answer.body.expirationDateTime);
  }

  /** Deletes a subscription; one Graph no longer knows (404) counts as deleted. */
  async unsubscribe(subscriptionId: string): Promise<void> {
    const answer = await this.#http.call('DELETE', `${this.#origin}/v1.0/subscriptions/${encodeURIComponent(subscriptionId)}`);
    if (answer.status === 204 || answer.status === 200 || answer.status === 404) return;
    throw this.#http.fail(answer);
  }
}

function stringField(value: unknown): string {
  if (typeof value !== 'string' || !value) throw new CalendarApiError('microsoft', 200, 'bad_subscription');
  return value;
}

function dateField(value: unknown): Date {
  const at = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new CalendarApiError('microsoft', 200, 'bad_subscription');
  return at;
}
