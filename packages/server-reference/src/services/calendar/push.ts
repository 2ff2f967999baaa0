import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { sameSecret } from '../../crypto/same-secret.js';
import { calendarIntegrations, calendarPushChannels, calendarSyncStatus } from '../../db/schema/index.js';
import type { ServiceContext } from '../context.js';
import type { TransportOptions } from './api-transport.js';
import { CalendarApiError } from './events-api.js';
import { storedTokenAuth } from './events-client.js';
import type { CalendarProviders } from './oauth-providers.js';
import { GooglePushApi, GraphPushApi, type OpenedChannel } from './push-api.js';
import type { CalendarSync } from './sync.js';
import type { CalendarTokens } from './tokens.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Google keeps a channel this long (its default for events; it may answer a shorter expiry). */
const GOOGLE_TTL_MS = 7 * DAY_MS;
/** Graph's longest subscription on Outlook events is 4230 minutes; asked a little under it. */
const GRAPH_TTL_MS = 4200 * 60_000;
/** A channel closer than this to its expiry is renewed. */
export const PUSH_RENEW_BEFORE_MS = DAY_MS;
/** With a live channel the periodic sync still runs, this many times less often (lost notifications). */
export const PUSH_INTERVAL_FACTOR = 6;
/** After a failed attempt to open a channel, this long before the next (polling meanwhile). */
const OPEN_RETRY_MS = 15 * 60_000;
/** Notifications closer together than this make one sync. */
const DEBOUNCE_MS = 1000;

/** The notification paths, under `CAREOS_PUBLIC_URL`. */
export const PUSH_PATHS = { google: '/webhooks/google/calendar', microsoft: '/webhooks/microsoft/calendar', microsoftLifecycle: '/webhooks/microsoft/calendar/lifecycle' } as const;

type ChannelRow = typeof calendarPushChannels.$inferSelect;
type PushProvider = 'google' | 'microsoft';
/** `due`: open a missing channel, renew one lapsing within a day; `renew`: renew now; `replace`: open a new one now. */
type EnsureMode = 'due' | 'renew' | 'replace';

/** What `X-Goog-Resource-State` says. */
export type GoogleResourceState = 'sync' | 'exists' | 'not_exists';

/** Options of {@link CalendarPush}. */
export interface CalendarPushOptions {
  /** HTTP options of the providers' APIs (tests: retry sleeps). */
  transport?: TransportOptions;
  /** Notifications closer together than this make one sync (default 1 s). */
  debounceMs?: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Push notifications of calendar changes: a Google watch channel or a Graph subscription per
 * connected calendar, opened only when this server has a public `https` origin
 * (`CAREOS_PUBLIC_URL`), renewed a day before it lapses, stopped on disconnect. A notification
 * that names a live channel with its secret schedules a sync of that calendar (coalesced, run
 * after the answer); the periodic sync stays on as the fallback, less often while a channel is
 * live. Nothing here knows HTTP: the routes hand in what the provider sent.
 */
export class CalendarPush {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #dirty = new Set<string>();
  readonly #draining = new Set<string>();
  readonly #retryAt = new Map<string, number>();
  readonly #busy = new Map<string, Promise<void>>();
  #closed = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly tokens: CalendarTokens,
    private readonly providers: CalendarProviders,
    private readonly sync: CalendarSync,
    private readonly options: CalendarPushOptions = {},
  ) {}

  /**
   * The public origin providers are asked to call, or `null` when push is off: it must be
   * `https` (Google and Graph refuse anything else), or `http` on a loopback address with
   * `CAREOS_CALENDAR_PUSH_ALLOW_HTTP` (local fakes).
   */
  publicOrigin(): string | null {
    const configured = this.ctx.config.integrations.publicUrl;
    if (!configured) return null;
    const url = new URL(configured);
    const origin = configured.replace(/\/+$/, '');
    if (url.protocol === 'https:') return origin;
    if (url.protocol === 'http:' && this.ctx.config.calendarSync.pushAllowHttpLoopback && LOOPBACK.has(url.hostname)) return origin;
    return null;
  }

  /**
   * One maintenance round (the sync worker runs it every poll): opens channels for connected
   * calendars that have none, renews those expiring within a day, and moves the next periodic
   * sync of calendars with a live channel further out. Failures are logged and retried later;
   * polling goes on meanwhile.
   */
  async maintain(): Promise<void> {
    const origin = this.publicOrigin();
    if (!origin || this.#closed) return;
    const now = this.ctx.clock.now();
    const providers: PushProvider[] = [];
    for (const name of ['google', 'microsoft'] as const) if (await this.providers.get(name)) providers.push(name);
    if (!providers.length) return;
    const rows = await this.ctx.db.orm
      .select({ id: calendarIntegrations.id })
      .from(calendarIntegrations)
      .leftJoin(calendarPushChannels, eq(calendarPushChannels.integrationId, calendarIntegrations.id))
      .where(
        and(
          eq(calendarIntegrations.status, 'connected'),
          inArray(calendarIntegrations.provider, providers),
          or(isNull(calendarPushChannels.integrationId), lt(calendarPushChannels.expiresAt, new Date(now.getTime() + PUSH_RENEW_BEFORE_MS))),
        ),
      )
      .limit(50);
    for (const { id } of rows) {
      if ((this.#retryAt.get(id) ?? 0) > now.getTime()) continue;
      await this.ensure(id);
    }
    await this.#lengthenPolling(now);
  }

  /**
   * Opens (or renews) the channel of one integration when it has none or it lapses within a
   * day. Never throws: a failure is logged and retried after a while, polling covers the gap.
   */
  ensure(integrationId: string, mode: EnsureMode = 'due'): Promise<void> {
    let pending = this.#busy.get(integrationId);
    if (!pending) {
      pending = this.#ensure(integrationId, mode).finally(() => this.#busy.delete(integrationId));
      this.#busy.set(integrationId, pending);
    }
    return pending;
  }

  async #ensure(integrationId: string, mode: EnsureMode): Promise<void> {
    const replace = mode === 'replace';
    const origin = this.publicOrigin();
    if (!origin) return;
    const [integration] = await this.ctx.db.orm.select().from(calendarIntegrations).where(eq(calendarIntegrations.id, integrationId));
    if (!integration || integration.status !== 'connected' || (integration.provider !== 'google' && integration.provider !== 'microsoft')) return;
    const provider = integration.provider as PushProvider;
    const [current] = await this.ctx.db.orm.select().from(calendarPushChannels).where(eq(calendarPushChannels.integrationId, integrationId));
    const now = this.ctx.clock.now();
    if (current && mode === 'due' && current.expiresAt.getTime() - now.getTime() > PUSH_RENEW_BEFORE_MS) return;
    try {
      if (provider === 'microsoft' && current && !replace) {
        const expiresAt = await this.#graph(integration).renew(current.channelId, new Date(now.getTime() + GRAPH_TTL_MS));
        if (expiresAt) {
          await this.ctx.db.orm.update(calendarPushChannels).set({ expiresAt, updatedAt: this.ctx.clock.now() }).where(and(eq(calendarPushChannels.integrationId, integrationId), eq(calendarPushChannels.channelId, current.channelId)));
          this.ctx.logger.info({ integration_id: integrationId, provider, expires_at: expiresAt.toISOString() }, 'calendar push subscription renewed');
          return;
        }
      }
      const secret = randomBytes(32).toString('base64url');
      const opened = await this.#open(provider, integration, origin, secret, now);
      const values = { channelId: opened.channelId, resourceId: opened.resourceId, secretEnc: this.ctx.phi.cipher.seal(calendarPushChannels.secretEnc, secret), expiresAt: opened.expiresAt, updatedAt: this.ctx.clock.now() };
      // Replaces only the channel this attempt saw: another instance that replaced it first wins, and ours is stopped.
      const stored = current
        ? await this.ctx.db.orm.update(calendarPushChannels).set(values).where(and(eq(calendarPushChannels.integrationId, integrationId), eq(calendarPushChannels.channelId, current.channelId))).returning({ id: calendarPushChannels.integrationId })
        : await this.ctx.db.orm.insert(calendarPushChannels).values({ integrationId, staffId: integration.staffId, provider, createdAt: values.updatedAt, ...values }).onConflictDoNothing().returning({ id: calendarPushChannels.integrationId });
      if (!stored.length) {
        await this.#close({ ...values, integrationId, provider }, integration);
        return;
      }
      this.#retryAt.delete(integrationId);
      this.ctx.logger.info({ integration_id: integrationId, provider, expires_at: opened.expiresAt.toISOString() }, 'calendar push channel opened');
      if (current) await this.#close(current, integration);
    } catch (error) {
      this.#retryAt.set(integrationId, this.ctx.clock.now().getTime() + OPEN_RETRY_MS);
      this.ctx.logger.warn({ integration_id: integrationId, provider, error: errorCode(error) }, 'calendar push channel not opened; the periodic sync goes on');
    }
  }

  async #open(provider: PushProvider, integration: { staffId: string }, origin: string, secret: string, now: Date): Promise<OpenedChannel> {
    if (provider === 'google') {
      return this.#google(integration).watch({ id: randomUUID(), address: `${origin}${PUSH_PATHS.google}`, token: secret, ttlSeconds: GOOGLE_TTL_MS / 1000 });
    }
    return this.#graph(integration).subscribe({
      notificationUrl: `${origin}${PUSH_PATHS.microsoft}`,
      lifecycleNotificationUrl: `${origin}${PUSH_PATHS.microsoftLifecycle}`,
      clientState: secret,
      expiresAt: new Date(now.getTime() + GRAPH_TTL_MS),
    });
  }

  /** Ends a channel at the provider (errors logged: it lapses on its own). */
  async #close(channel: Pick<ChannelRow, 'provider' | 'channelId' | 'resourceId' | 'integrationId'>, integration: { staffId: string }): Promise<void> {
    try {
      if (channel.provider === 'google') await this.#google(integration).stop(channel.channelId, channel.resourceId ?? '');
      else await this.#graph(integration).unsubscribe(channel.channelId);
    } catch (error) {
      this.ctx.logger.warn({ integration_id: channel.integrationId, provider: channel.provider, error: errorCode(error) }, 'calendar push channel not stopped at the provider; it lapses on its own');
    }
  }

  /**
   * Stops the integration's channel at the provider and forgets it (before a disconnect, while
   * its tokens still work). Never throws.
   */
  async stop(integrationId: string): Promise<void> {
    const [channel] = await this.ctx.db.orm.select().from(calendarPushChannels).where(eq(calendarPushChannels.integrationId, integrationId));
    if (!channel) return;
    await this.#close(channel, channel);
    await this.ctx.db.orm.delete(calendarPushChannels).where(eq(calendarPushChannels.integrationId, integrationId));
  }

  /**
   * The integration whose live channel `channelId` is, when `secret` is the one it was given
   * (compared in constant time); `null` for an unknown channel or a wrong secret alike.
   */
  async verify(provider: PushProvider, channelId: string, secret: string): Promise<string | null> {
    if (!channelId || channelId.length > 256) return null;
    const [channel] = await this.ctx.db.orm
      .select()
      .from(calendarPushChannels)
      .where(and(eq(calendarPushChannels.provider, provider), eq(calendarPushChannels.channelId, channelId)));
    if (!channel) return null;
    const stored = this.ctx.phi.cipher.open(calendarPushChannels.secretEnc, channel.secretEnc);
    return sameSecret(secret, stored) ? channel.integrationId : null;
  }

  /**
   * A verified Google notification: `sync` (the channel was just opened) needs nothing; `exists`
   * and `not_exists` (something changed) schedule a sync of the calendar.
   */
  googleNotified(integrationId: string, state: GoogleResourceState): { syncScheduled: boolean } {
    if (state === 'sync') return { syncScheduled: false };
    this.schedule(integrationId);
    return { syncScheduled: true };
  }

  /**
   * A verified Graph lifecycle notification, acted on after the answer: `reauthorizationRequired`
   * renews the subscription (PATCH), `subscriptionRemoved` creates a new one, `missed` syncs the
   * calendar (its delta link lists every change since the last sync). Others are ignored.
   */
  graphLifecycle(integrationId: string, event: string): void {
    this.ctx.logger.info({ integration_id: integrationId, provider: 'microsoft', lifecycle_event: event.slice(0, 64) }, 'calendar push lifecycle notification');
    const logFailure = (error: unknown) => this.ctx.logger.warn({ integration_id: integrationId, provider: 'microsoft', error: errorCode(error) }, 'calendar push lifecycle event not handled');
    if (event === 'reauthorizationRequired') this.ensure(integrationId, 'renew').catch(logFailure);
    else if (event === 'subscriptionRemoved') this.ensure(integrationId, 'replace').catch(logFailure);
    else if (event === 'missed') this.schedule(integrationId);
  }

  /**
   * Syncs an integration soon: notifications within the debounce make one sync, and one that
   * arrives while that sync runs makes one more after it.
   */
  schedule(integrationId: string): void {
    if (this.#closed) return;
    this.#dirty.add(integrationId);
    if (this.#timers.has(integrationId) || this.#draining.has(integrationId)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(integrationId);
      void this.#drain(integrationId);
    }, this.options.debounceMs ?? DEBOUNCE_MS);
    timer.unref();
    this.#timers.set(integrationId, timer);
  }

  async #drain(integrationId: string): Promise<void> {
    this.#draining.add(integrationId);
    try {
      while (this.#dirty.delete(integrationId) && !this.#closed) {
        const outcome = await this.sync.syncIntegration(integrationId);
        // Another instance is syncing it: its pass may have listed before the change, so try again shortly.
        if (outcome.status === 'busy') {
          this.#draining.delete(integrationId);
          const timer = setTimeout(() => {
            this.#timers.delete(integrationId);
            this.schedule(integrationId);
          }, 5 * (this.options.debounceMs ?? DEBOUNCE_MS));
          timer.unref();
          this.#timers.set(integrationId, timer);
          return;
        }
      }
    } catch (error) {
      this.ctx.logger.warn({ integration_id: integrationId, error: errorCode(error) }, 'calendar sync after a notification failed');
    } finally {
      this.#draining.delete(integrationId);
    }
  }

  /** Drops pending syncs (the server is stopping). */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  /**
   * Calendars with a live channel that last synced fine wait {@link PUSH_INTERVAL_FACTOR} times
   * the interval for their next periodic sync.
   */
  async #lengthenPolling(now: Date): Promise<void> {
    const longMs = (this.ctx.config.calendarSync.intervalSeconds || 300) * 1000 * PUSH_INTERVAL_FACTOR;
    const later = sql`${calendarSyncStatus.lastSyncedAt} + ${`${longMs} milliseconds`}::interval`;
    const live = this.ctx.db.orm.select({ id: calendarPushChannels.integrationId }).from(calendarPushChannels).where(gt(calendarPushChannels.expiresAt, now));
    await this.ctx.db.orm
      .update(calendarSyncStatus)
      .set({ nextSyncAt: later })
      .where(
        and(
          eq(calendarSyncStatus.consecutiveFailures, 0),
          isNull(calendarSyncStatus.lastStartedAt),
          isNotNull(calendarSyncStatus.lastSyncedAt),
          lt(calendarSyncStatus.nextSyncAt, later),
          inArray(calendarSyncStatus.integrationId, live),
        ),
      );
  }

  #google(integration: { staffId: string }): GooglePushApi {
    return new GooglePushApi(this.ctx.config.integrations.google.calendarApiBaseUrl, storedTokenAuth(this.tokens, integration.staffId, 'google'), this.options.transport);
  }

  #graph(integration: { staffId: string }): GraphPushApi {
    return new GraphPushApi(this.ctx.config.integrations.microsoft.graphBaseUrl, storedTokenAuth(this.tokens, integration.staffId, 'microsoft'), this.options.transport);
  }
}

/** A short code for a failure (never a message: it could quote a token or a URL with one). */
function errorCode(error: unknown): string {
  if (error instanceof CalendarApiError) return `PROVIDER_${error.status || 'UNREACHABLE'}_${error.code}`.slice(0, 80);
  return (error as Error)?.name ?? 'Error';
}
