import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import { sandboxCalendarCodes, sandboxCalendarConsents, sandboxCalendars, sandboxCalendarTokens } from '../../db/schema/index.js';
import type { ServiceContext } from '../context.js';
import { demoEvents } from './demo-events.js';
import type { SandboxCalendarEvents } from './events.js';
import { SANDBOX_SCOPE, type SandboxCalendarSite, type SandboxClient } from './site.js';

/** How long the consent page may stay open before its answer is refused. */
export const CONSENT_TTL_MS = 10 * 60 * 1000;
/** How long an authorization code may wait to be redeemed. */
export const CODE_TTL_MS = 60 * 1000;
/** Lifetime of an access token (as Google's). */
export const ACCESS_TOKEN_TTL_S = 3600;

/** An OAuth error answered at the token or revocation endpoint (RFC 6749 §5.2). */
export class SandboxOAuthError extends Error {
  override readonly name = 'SandboxOAuthError';
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'unsupported_token_type',
    readonly description: string,
    readonly status = error === 'invalid_client' ? 401 : 400,
  ) {
    super(description);
  }
}

/**
 * An authorize request that must not be redirected (RFC 6749 §4.1.2.1: unknown client or
 * redirect URI), or a consent answer that cannot be honoured: shown to the person as a page.
 */
export class SandboxConsentError extends Error {
  override readonly name = 'SandboxConsentError';
}

/** What the consent page needs: ids it made, and the client and scope from its registration, never from the request. */
export interface ConsentToShow {
  kind: 'consent';
  consentId: string;
  /** The browser-binding value to set as a cookie (the existing one when the browser sent one). */
  browser: string;
  client: SandboxClient;
  scope: string;
}

/** Send the browser to `location` (an authorize error the client must hear, or the answer to a consent). */
export interface Redirect {
  kind: 'redirect';
  location: string;
}

/** A token endpoint answer (RFC 6749 §5.1). */
export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

/** Client credentials as sent: in the form (`client_secret_post`) or an `Authorization: Basic` header. */
export interface ClientCredentials {
  id: string;
  secret: string;
}

const hash = (value: string) => createHash('sha256').update(value).digest('base64url');
const secret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;
/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** A browser-binding cookie value this server made. */
const BROWSER = /^[A-Za-z0-9_-]{43}$/;

/**
 * The sandbox's authorization server (RFC 6749 authorization code grant with PKCE, RFC 7009
 * revocation), state in the database so any instance can answer any step. The authorize request
 * is checked and parked as a consent (single use, 10 minutes, bound to the browser by a cookie);
 * allowing it creates the calendar (with demo events) and a code (single use, one minute, bound
 * to the client, redirect URI and S256 challenge); the code buys an access token (one hour) and a
 * refresh token. Consent ids, codes and tokens are stored only as SHA-256 hashes.
 */
export class SandboxAuthorizationServer {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly site: SandboxCalendarSite,
    private readonly events: SandboxCalendarEvents,
  ) {}

  /**
   * Checks an authorize request. An unknown client or redirect URI is a {@link SandboxConsentError}
   * (never redirected); other faults are redirected to the client as `error=…`; a sound request
   * becomes a consent to show.
   */
  async authorize(query: Record<string, unknown>, browser: string | undefined): Promise<ConsentToShow | Redirect> {
    const param = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
    const client = await this.site.client();
    if (!client || param('client_id') !== client.clientId) throw new SandboxConsentError('This application is not registered with the sandbox calendar.');
    if (param('redirect_uri') !== client.redirectUri) throw new SandboxConsentError('The redirect URI does not match the one registered for this application.');
    const state = param('state');
    const fail = (error: string, description: string): Redirect => ({ kind: 'redirect', location: this.#redirect(client.redirectUri, { error, error_description: description, ...(state ? { state } : {}) }) });
    if (param('response_type') !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported');
    if (!state || state.length > 512) return fail('invalid_request', 'A state of at most 512 characters is required');
    const challenge = param('code_challenge');
    if (param('code_challenge_method') !== 'S256' || !challenge || !CHALLENGE.test(challenge)) return fail('invalid_request', 'PKCE with code_challenge_method=S256 is required');
    const scopes = (param('scope') ?? '').split(' ').filter(Boolean);
    if (scopes.length === 0 || scopes.some((scope) => scope !== SANDBOX_SCOPE)) return fail('invalid_scope', `The sandbox grants the scope "${SANDBOX_SCOPE}" only`);

    const consentId = secret('');
    const binding = browser && BROWSER.test(browser) ? browser : randomBytes(32).toString('base64url');
    const now = this.ctx.clock.now();
    const orm = this.ctx.db.orm;
    await orm.delete(sandboxCalendarConsents).where(lt(sandboxCalendarConsents.expiresAt, now));
    await orm.insert(sandboxCalendarConsents).values({
      idHash: hash(consentId),
      browserHash: hash(binding),
      clientId: client.clientId,
      redirectUri: client.redirectUri,
      stateEnc: this.ctx.phi.cipher.seal(sandboxCalendarConsents.stateEnc, state),
      codeChallenge: challenge,
      scope: SANDBOX_SCOPE,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CONSENT_TTL_MS),
    });
    return { kind: 'consent', consentId, browser: binding, client, scope: SANDBOX_SCOPE };
  }

  /**
   * The person's answer. The consent is spent whatever it says; it must come from the browser
   * the page was shown to (the cookie) within 10 minutes. Allow creates the calendar with its
   * demo events and redirects with a code; Deny redirects with `error=access_denied`.
   */
  async decide(consentId: string, browser: string | undefined, allow: boolean): Promise<Redirect> {
    const now = this.ctx.clock.now();
    const [consent] = await this.ctx.db.orm
      .delete(sandboxCalendarConsents)
      .where(and(eq(sandboxCalendarConsents.idHash, hash(consentId)), gt(sandboxCalendarConsents.expiresAt, now)))
      .returning();
    if (!consent || !browser || consent.browserHash !== hash(browser)) throw new SandboxConsentError('This consent page has expired or was already answered. Start again from the application.');
    const state = this.ctx.phi.cipher.open(sandboxCalendarConsents.stateEnc, consent.stateEnc);
    if (!allow) return { kind: 'redirect', location: this.#redirect(consent.redirectUri, { error: 'access_denied', error_description: 'The user denied access', state }) };
    const code = secret('sbx_code_');
    await this.ctx.db.orm.transaction(async (tx) => {
      const calendarId = `sbxcal_${randomBytes(12).toString('hex')}`;
      await tx.insert(sandboxCalendars).values({ id: calendarId, clientId: consent.clientId, scope: consent.scope, createdAt: now });
      await this.events.seed(tx, calendarId, demoEvents(now));
      await tx.delete(sandboxCalendarCodes).where(lt(sandboxCalendarCodes.expiresAt, now));
      await tx.insert(sandboxCalendarCodes).values({
        codeHash: hash(code),
        calendarId,
        clientId: consent.clientId,
        redirectUri: consent.redirectUri,
        codeChallenge: consent.codeChallenge,
        createdAt: now,
        expiresAt: new Date(now.getTime() + CODE_TTL_MS),
      });
    });
    return { kind: 'redirect', location: this.#redirect(consent.redirectUri, { code, state }) };
  }

  /** The token endpoint: `authorization_code` (with PKCE) and `refresh_token` grants. */
  async token(form: URLSearchParams, credentials: ClientCredentials | null): Promise<TokenAnswer> {
    const client = await this.#client(credentials);
    const grant = form.get('grant_type');
    const now = this.ctx.clock.now();
    if (grant === 'authorization_code') {
      const code = form.get('code');
      const verifier = form.get('code_verifier');
      if (!code || !verifier) throw new SandboxOAuthError('invalid_request', 'code and code_verifier are required');
      // Spent by the first attempt, right or wrong: a stolen code gets one guess at the verifier.
      const [issued] = await this.ctx.db.orm.delete(sandboxCalendarCodes).where(eq(sandboxCalendarCodes.codeHash, hash(code))).returning();
      if (!issued || issued.expiresAt <= now || issued.clientId !== client) throw new SandboxOAuthError('invalid_grant', 'The authorization code is invalid, expired or already used');
      if (form.get('redirect_uri') !== issued.redirectUri) throw new SandboxOAuthError('invalid_grant', 'redirect_uri does not match the authorization request');
      if (!VERIFIER.test(verifier) || hash(verifier) !== issued.codeChallenge) throw new SandboxOAuthError('invalid_grant', 'The code verifier does not match the code challenge');
      const refresh = secret('sbx_rt_');
      await this.ctx.db.orm.insert(sandboxCalendarTokens).values({ tokenHash: hash(refresh), calendarId: issued.calendarId, kind: 'refresh', clientId: client, expiresAt: null, createdAt: now });
      return { ...(await this.#accessToken(issued.calendarId, client)), refresh_token: refresh };
    }
    if (grant === 'refresh_token') {
      const refresh = form.get('refresh_token');
      if (!refresh) throw new SandboxOAuthError('invalid_request', 'refresh_token is required');
      const [row] = await this.ctx.db.orm
        .select()
        .from(sandboxCalendarTokens)
        .where(and(eq(sandboxCalendarTokens.tokenHash, hash(refresh)), eq(sandboxCalendarTokens.kind, 'refresh')));
      if (!row || row.clientId !== client) throw new SandboxOAuthError('invalid_grant', 'Token has been expired or revoked.');
      return this.#accessToken(row.calendarId, client);
    }
    throw new SandboxOAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  /**
   * RFC 7009 revocation: either token of a grant ends the whole grant, and with it the sandbox
   * calendar (as Google revokes every token of a grant). An unknown token is not an error.
   */
  async revoke(form: URLSearchParams, credentials: ClientCredentials | null): Promise<void> {
    const client = await this.#client(credentials);
    const token = form.get('token');
    if (!token) throw new SandboxOAuthError('invalid_request', 'token is required');
    const [row] = await this.ctx.db.orm.select().from(sandboxCalendarTokens).where(eq(sandboxCalendarTokens.tokenHash, hash(token)));
    if (!row || row.clientId !== client) return;
    await this.ctx.db.orm.delete(sandboxCalendars).where(eq(sandboxCalendars.id, row.calendarId));
  }

  /** The calendar a bearer access token opens, or `null` (unknown, expired or revoked). */
  async calendarOf(accessToken: string): Promise<string | null> {
    const [row] = await this.ctx.db.orm
      .select({ calendarId: sandboxCalendarTokens.calendarId })
      .from(sandboxCalendarTokens)
      .where(and(eq(sandboxCalendarTokens.tokenHash, hash(accessToken)), eq(sandboxCalendarTokens.kind, 'access'), gt(sandboxCalendarTokens.expiresAt, this.ctx.clock.now())));
    return row?.calendarId ?? null;
  }

  async #client(credentials: ClientCredentials | null): Promise<string> {
    if (!credentials || !(await this.site.authenticates(credentials.id, credentials.secret))) throw new SandboxOAuthError('invalid_client', 'Client authentication failed');
    return credentials.id;
  }

  async #accessToken(calendarId: string, clientId: string): Promise<TokenAnswer> {
    const token = secret('sbx_at_');
    const now = this.ctx.clock.now();
    const orm = this.ctx.db.orm;
    await orm.delete(sandboxCalendarTokens).where(and(eq(sandboxCalendarTokens.calendarId, calendarId), eq(sandboxCalendarTokens.kind, 'access'), lt(sandboxCalendarTokens.expiresAt, now)));
    await orm.insert(sandboxCalendarTokens).values({ tokenHash: hash(token), calendarId, kind: 'access', clientId, expiresAt: new Date(now.getTime() + ACCESS_TOKEN_TTL_S * 1000), createdAt: now });
    return { access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_S, scope: SANDBOX_SCOPE };
  }

  /** The redirect URI with `params` and the issuer (RFC 9207) added to its query. */
  #redirect(redirectUri: string, params: Record<string, string>): string {
    const url = new URL(redirectUri);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    url.searchParams.set('iss', this.site.endpoints()!.issuer);
    return url.toString();
  }
}
