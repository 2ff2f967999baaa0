import { createHash } from 'node:crypto';
import { ErrorCode, ErrorText, type CalendarIntegration, type CalendarProvider } from '@careos/contract';
import { and, eq, gt, lt } from 'drizzle-orm';
import { calendarIntegrations, calendarOauthStates, calendarSyncStatus } from '../../db/schema/index.js';
import { DomainError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { AuditService } from '../audit.js';
import type { Actor } from '../automation.js';
import type { ServiceContext } from '../context.js';
import { authorizationUrl, callbackParameters, newConsent, oauthErrorCode, redeemCode, revokeToken, type CalendarProviders, type OAuthProvider } from './oauth-providers.js';
import { integrationDto, openTokens, sealTokens } from './records.js';

/** How long a consent may take: the `state` expires after this. */
export const STATE_TTL_MS = 10 * 60 * 1000;

const hashState = (state: string) => createHash('sha256').update(state).digest('base64url');

/** What the provider appended to the redirect URI. */
export interface CallbackInput {
  provider: CalendarProvider;
  /** Every query parameter as received (oauth4webapi validates them). */
  query: Record<string, string | undefined>;
  requestId: string;
  ip: string | null;
}

/**
 * Connecting and disconnecting a staff member's calendars (OAuth 2 authorization code with
 * PKCE). The consent's state is stored hashed with its verifier sealed, bound to the staff member
 * and provider, and spent by a single delete: a replay, an expired state or one issued for the
 * other provider matches no row and changes nothing.
 */
export class CalendarConnections {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
    private readonly providers: CalendarProviders,
    /** Stops a calendar's push channel before its grant is revoked (`CalendarPush.stop`). */
    private readonly push?: { stop(integrationId: string): Promise<void> },
  ) {}

  /** The configured provider, or 503 `NOT_CONFIGURED`. */
  async provider(name: CalendarProvider): Promise<OAuthProvider> {
    const provider = await this.providers.get(name);
    if (!provider) {
      const prefix = name.toUpperCase();
      const message =
        name === 'sandbox'
          ? 'Start the server with --seed demo or CAREOS_CALENDAR_SANDBOX=1 to offer the sandbox calendar'
          : `Set ${prefix}_CLIENT_ID, ${prefix}_CLIENT_SECRET and ${prefix}_REDIRECT_URI`;
      throw new DomainError(ErrorCode.NOT_CONFIGURED, ErrorText.calendarNotConfigured, { message });
    }
    return provider;
  }

  /** Starts a consent: stores its state and verifier, answers the provider's consent URL. */
  async connect(staffId: string, name: CalendarProvider): Promise<{ authUrl: string; expiresAt: Date }> {
    const provider = await this.provider(name);
    const { state, verifier, challenge } = await newConsent();
    const now = this.ctx.clock.now();
    const expiresAt = new Date(now.getTime() + STATE_TTL_MS);
    const orm = this.ctx.db.orm;
    await orm.delete(calendarOauthStates).where(lt(calendarOauthStates.expiresAt, now));
    await orm.insert(calendarOauthStates).values({
      stateHash: hashState(state),
      staffId,
      provider: name,
      verifierEnc: this.ctx.phi.cipher.seal(calendarOauthStates.verifierEnc, verifier),
      createdAt: now,
      expiresAt,
    });
    return { authUrl: authorizationUrl(provider, state, challenge), expiresAt };
  }

  /**
   * Completes a consent: spends the state, redeems the code with the stored verifier and stores
   * the tokens sealed (replacing an earlier connection of the same calendar). Audits the outcome
   * for the staff member the state names.
   */
  async callback(input: CallbackInput): Promise<{ staffId: string }> {
    const provider = await this.provider(input.provider);
    const state = input.query.state ?? '';
    const now = this.ctx.clock.now();
    const [pending] = await this.ctx.db.orm
      .delete(calendarOauthStates)
      .where(and(eq(calendarOauthStates.stateHash, hashState(state)), eq(calendarOauthStates.provider, input.provider), gt(calendarOauthStates.expiresAt, now)))
      .returning();
    if (!pending) throw new DomainError(ErrorCode.INVALID_OAUTH_STATE, ErrorText.invalidOAuthState, { message: 'Start again from connect: a state is valid once, for 10 minutes' });
    const record = (outcome: string, status: number) =>
      this.audit.record({
        actorType: 'staff',
        actorId: pending.staffId,
        partnerId: null,
        method: 'GET',
        route: `calendar:${input.provider}:${outcome}`,
        subjectType: 'staff',
        subjectId: pending.staffId,
        status,
        ip: input.ip,
        requestId: input.requestId,
      });
    if (input.query.error) {
      record('declined', 400);
      throw new DomainError(ErrorCode.OAUTH_DECLINED, ErrorText.oauthDeclined, { message: `The provider answered ${input.query.error.slice(0, 64)}` });
    }
    const verifier = this.ctx.phi.cipher.open(calendarOauthStates.verifierEnc, pending.verifierEnc);
    const params = callbackParameters(provider, new URLSearchParams(Object.entries(input.query).filter((entry): entry is [string, string] => entry[1] !== undefined)), state);
    if (!params || !params.get('code')) {
      record('refused', 400);
      throw new DomainError(ErrorCode.OAUTH_FAILED, ErrorText.oauthFailed, { message: 'The callback carried no valid authorization response (a code, and the right issuer if one is named)' });
    }
    let tokens;
    try {
      tokens = await redeemCode(provider, params, verifier);
    } catch (error) {
      const code = oauthErrorCode(error);
      record(code ? 'refused' : 'unavailable', code ? 400 : 503);
      this.ctx.logger.warn({ req_id: input.requestId, provider: input.provider, oauth_error: code, err_name: (error as Error).name }, 'calendar authorization code not redeemed');
      if (code) throw new DomainError(ErrorCode.OAUTH_FAILED, ErrorText.oauthFailed, { message: `The provider answered ${code}` });
      throw new DomainError(ErrorCode.PROVIDER_UNAVAILABLE, ErrorText.calendarProviderUnavailable);
    }
    if (!tokens.refreshToken) {
      record('refused', 400);
      throw new DomainError(ErrorCode.OAUTH_FAILED, ErrorText.oauthFailed, { message: 'The provider issued no refresh token' });
    }
    const at = this.ctx.clock.now();
    const values = {
      status: 'connected',
      tokensEnc: sealTokens(this.ctx.phi.cipher, { access_token: tokens.accessToken, refresh_token: tokens.refreshToken }),
      accessExpiresAt: new Date(at.getTime() + tokens.expiresInSeconds * 1000),
      scopes: tokens.scope ?? provider.scope,
      connectedAt: at,
      updatedAt: at,
    };
    await this.ctx.db.orm.transaction(async (tx) => {
      const [stored] = await tx
        .insert(calendarIntegrations)
        .values({ id: newId('cal', at), staffId: pending.staffId, provider: input.provider, ...values })
        .onConflictDoUpdate({ target: [calendarIntegrations.staffId, calendarIntegrations.provider], set: values })
        .returning({ id: calendarIntegrations.id });
      // A reconnect may be another account: its next sync lists everything and sweeps what the
      // old account's cursor left (the events stay shown until then).
      await tx.update(calendarSyncStatus).set({ cursorEnc: null, updatedAt: at }).where(eq(calendarSyncStatus.integrationId, stored!.id));
    });
    record('connected', 200);
    return { staffId: pending.staffId };
  }

  /** The staff member's connected calendars (no tokens). */
  async list(staffId: string): Promise<CalendarIntegration[]> {
    const rows = await this.ctx.db.orm.select().from(calendarIntegrations).where(eq(calendarIntegrations.staffId, staffId)).orderBy(calendarIntegrations.provider);
    return rows.map(integrationDto);
  }

  /**
   * Disconnects a calendar: revokes the grant where the provider can (Google, the sandbox;
   * Microsoft has no endpoint for it), then deletes the row whatever the provider said. 404 when
   * not connected.
   */
  async disconnect(actor: Actor, name: CalendarProvider): Promise<{ revokedAtProvider: boolean }> {
    const where = and(eq(calendarIntegrations.staffId, actor.staffId), eq(calendarIntegrations.provider, name));
    const [row] = await this.ctx.db.orm.select().from(calendarIntegrations).where(where);
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: `No ${name} calendar is connected` });
    let revoked = false;
    await this.push?.stop(row.id);
    const provider = await this.providers.get(name);
    if (provider) {
      try {
        // Revoking the refresh token ends the whole grant at Google and the sandbox (its access tokens too).
        revoked = await revokeToken(provider, openTokens(this.ctx.phi.cipher, row).refresh_token);
      } catch (error) {
        this.ctx.logger.warn({ req_id: actor.requestId, provider: name, oauth_error: oauthErrorCode(error), err_name: (error as Error).name }, 'calendar grant not revoked at the provider');
      }
    }
    await this.ctx.db.orm.delete(calendarIntegrations).where(where);
    return { revokedAtProvider: revoked };
  }
}
