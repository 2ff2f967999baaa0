import { ErrorCode, ErrorText, type CalendarProvider } from '@careos/contract';
import { and, eq } from 'drizzle-orm';
import { calendarIntegrations } from '../../db/schema/index.js';
import { DomainError } from '../../domain/errors.js';
import type { AlertService } from '../alerts.js';
import type { ServiceContext } from '../context.js';
import { oauthErrorCode, refreshTokens, type CalendarProviders, type OAuthProvider } from './oauth-providers.js';
import type { Executor } from '../../db/database.js';
import { openTokens, sealTokens, type IntegrationRow } from './records.js';

/** An access token closer than this to its expiry is refreshed first (clock skew, a slow call). */
export const REFRESH_MARGIN_MS = 2 * 60 * 1000;

/** How one refresh attempt ended. */
type RefreshOutcome =
  | { kind: 'token'; token: string }
  | { kind: 'gone' }
  | { kind: 'reauth' | 'revoked'; staffId: string }
  | { kind: 'unavailable'; code: string | null; name: string };

/** The calendar must be connected again: the provider refused its refresh token. */
export class CalendarReauthRequired extends Error {
  override readonly name = 'CalendarReauthRequired';
  constructor(readonly provider: CalendarProvider) {
    super(`The ${provider} calendar must be connected again`);
  }
}

/**
 * Refreshes in flight, per database handle: servers of one process sharing a handle (an embedded
 * PGlite is only ever opened by one process) share one refresh per integration.
 */
const inFlightByDatabase = new WeakMap<object, Map<string, Promise<string>>>();

function inFlightOf(db: object): Map<string, Promise<string>> {
  let map = inFlightByDatabase.get(db);
  if (!map) inFlightByDatabase.set(db, (map = new Map()));
  return map;
}

/**
 * Access tokens for a staff member's calendars, refreshed before they expire. One refresh at a
 * time per integration: in this instance concurrent callers share one refresh, across instances
 * a row lock (`for update`) serialises them and the row is re-read under the lock, so an
 * instance that waited uses the token the other stored instead of spending the refresh token
 * again. A rotated refresh token (Microsoft) is stored in the same update as the access token.
 * `invalid_grant` marks the integration `needs_reauth` and raises an ops alert.
 */
export class CalendarTokens {
  readonly #inFlight: Map<string, Promise<string>>;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly alerts: AlertService,
    private readonly providers: CalendarProviders,
  ) {
    this.#inFlight = inFlightOf(ctx.db);
  }

  /**
   * A working access token for the staff member's `provider` calendar.
   *
   * @throws DomainError `NOT_FOUND` when it is not connected; {@link CalendarReauthRequired}
   * when it needs a new consent; DomainError `PROVIDER_UNAVAILABLE` when the provider cannot
   * be reached to refresh (nothing is changed then).
   */
  async accessToken(staffId: string, provider: CalendarProvider): Promise<string> {
    const row = await this.#connected(staffId, provider);
    if (this.#fresh(row)) return openTokens(this.ctx.phi.cipher, row).access_token;
    return this.#shared(row.id, provider);
  }

  /**
   * A token other than `rejected`, which the provider just refused (401) although it looked
   * fresh: the stored one when another caller already replaced it, else a forced refresh (shared
   * and serialised as in {@link accessToken}).
   */
  async renewAccessToken(staffId: string, provider: CalendarProvider, rejected: string): Promise<string> {
    const row = await this.#connected(staffId, provider);
    return this.#shared(row.id, provider, rejected);
  }

  /** The integration row, or the error a caller gets when there is none usable. */
  async #connected(staffId: string, provider: CalendarProvider): Promise<IntegrationRow> {
    const [row] = await this.ctx.db.orm.select().from(calendarIntegrations).where(and(eq(calendarIntegrations.staffId, staffId), eq(calendarIntegrations.provider, provider)));
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: `No ${provider} calendar is connected` });
    if (row.status === 'needs_reauth') throw new CalendarReauthRequired(provider);
    return row;
  }

  /** The refresh of integration `id` in flight, joined, or a new one that others may join. */
  #shared(id: string, provider: CalendarProvider, rejected?: string): Promise<string> {
    let pending = this.#inFlight.get(id);
    if (!pending) {
      pending = this.#refresh(id, provider, rejected).finally(() => this.#inFlight.delete(id));
      this.#inFlight.set(id, pending);
    }
    return pending;
  }

  #fresh(row: IntegrationRow): boolean {
    return row.accessExpiresAt.getTime() - REFRESH_MARGIN_MS > this.ctx.clock.now().getTime();
  }

  /**
   * One refresh of integration `id` on `on` (a transaction holding the row lock when `lock`);
   * `rejected` forces it unless the stored token is already another.
   */
  async #attempt(on: Executor, id: string, client: OAuthProvider, lock = false, rejected?: string): Promise<RefreshOutcome> {
    const cipher = this.ctx.phi.cipher;
    const read = on.select().from(calendarIntegrations).where(eq(calendarIntegrations.id, id));
    const [row] = lock ? await read.for('update') : await read;
    if (!row) return { kind: 'gone' as const };
    if (row.status === 'needs_reauth') return { kind: 'reauth' as const, staffId: row.staffId };
    const stored = openTokens(cipher, row);
    // Another instance refreshed while this one waited for the lock: use its token.
    if (rejected === undefined ? this.#fresh(row) : stored.access_token !== rejected) return { kind: 'token' as const, token: stored.access_token };
    // Unlocked, the tokens this refresh replaces must still be the stored ones when it writes.
    const unchanged = and(eq(calendarIntegrations.id, id), eq(calendarIntegrations.tokensEnc, row.tokensEnc));
    try {
      const tokens = await refreshTokens(client, stored.refresh_token);
      const now = this.ctx.clock.now();
      const written = await on
        .update(calendarIntegrations)
        .set({
          tokensEnc: sealTokens(cipher, { access_token: tokens.accessToken, refresh_token: tokens.refreshToken ?? stored.refresh_token }),
          accessExpiresAt: new Date(now.getTime() + tokens.expiresInSeconds * 1000),
          ...(tokens.scope ? { scopes: tokens.scope } : {}),
          updatedAt: now,
        })
        .where(unchanged)
        .returning({ id: calendarIntegrations.id });
      if (written.length === 0) return this.#attempt(on, id, client, lock, rejected);
      return { kind: 'token' as const, token: tokens.accessToken };
    } catch (error) {
      const code = oauthErrorCode(error);
      if (code !== 'invalid_grant') return { kind: 'unavailable' as const, code, name: (error as Error).name };
      await on.update(calendarIntegrations).set({ status: 'needs_reauth', updatedAt: this.ctx.clock.now() }).where(eq(calendarIntegrations.id, id));
      return { kind: 'revoked' as const, staffId: row.staffId };
    }
  }

  async #refresh(id: string, provider: CalendarProvider, rejected?: string): Promise<string> {
    const client = await this.providers.get(provider);
    if (!client) throw new DomainError(ErrorCode.NOT_CONFIGURED, ErrorText.calendarNotConfigured);
    // PGlite is one process with one connection: a row lock held on it across the call to the
    // provider would stall every other query of the server for as long as the provider takes
    // (and deadlock against the sandbox provider, which this server serves itself). There the
    // per-database map above already allows one refresh per integration, so the refresh runs
    // unlocked and stores its tokens only if nobody stored others meanwhile. PostgreSQL, shared
    // by instances, takes the row lock.
    const outcome =
      this.ctx.db.kind === 'pglite'
        ? await this.#attempt(this.ctx.db.orm, id, client, false, rejected)
        : await this.ctx.db.orm.transaction((tx) => this.#attempt(tx, id, client, true, rejected));
    switch (outcome.kind) {
      case 'token':
        return outcome.token;
      case 'gone':
        throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: `No ${provider} calendar is connected` });
      case 'reauth':
        throw new CalendarReauthRequired(provider);
      case 'revoked':
        await this.alerts.raise({
          type: 'calendar_reauth_required',
          severity: 'warning',
          message: `The ${provider} calendar of a staff member stopped working (the provider refused its refresh token): they must connect it again`,
          context: { provider, integration_id: id },
          subject: { type: 'staff', id: outcome.staffId },
        });
        throw new CalendarReauthRequired(provider);
      case 'unavailable':
        this.ctx.logger.warn({ provider, integration_id: id, oauth_error: outcome.code, err_name: outcome.name }, 'calendar token refresh failed; will retry on next use');
        throw new DomainError(ErrorCode.PROVIDER_UNAVAILABLE, ErrorText.calendarProviderUnavailable);
    }
  }
}
