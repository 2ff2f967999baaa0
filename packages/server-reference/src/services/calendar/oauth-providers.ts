import type { CalendarProvider } from '@careos/contract';
import * as oauth from 'oauth4webapi';
import type { IntegrationSettings } from '../../config/integrations-config.js';
import { SANDBOX_SCOPE, type SandboxCalendarSite, type SandboxClient, type SandboxEndpoints } from '../calendar-sandbox/site.js';

/** Google's production authorization endpoint (its token and revocation endpoints are on `GOOGLE_OAUTH_BASE_URL`). */
const GOOGLE_AUTHORIZE_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
const GOOGLE_DEFAULT_TOKEN_ORIGIN = 'https://oauth2.googleapis.com';

/** How long a call to a provider's OAuth endpoints may take. */
const PROVIDER_TIMEOUT_MS = 10_000;

/** Scopes asked for: read and write the calendars (event sync and bookings need both), and a refresh token. */
const SCOPES: Record<CalendarProvider, string> = {
  google: 'https://www.googleapis.com/auth/calendar',
  microsoft: 'offline_access Calendars.ReadWrite',
  sandbox: SANDBOX_SCOPE,
};

/** One configured provider: its endpoints and client, as oauth4webapi takes them. */
export interface OAuthProvider {
  readonly name: CalendarProvider;
  readonly as: oauth.AuthorizationServer;
  readonly client: oauth.Client;
  readonly clientAuth: oauth.ClientAuth;
  readonly redirectUri: string;
  readonly scope: string;
  /** Extra authorization parameters: Google issues a refresh token only with `access_type=offline`. */
  readonly extraParams: Record<string, string>;
  /** Options of every oauth4webapi request (timeout; plain http only for a local fake). */
  options(): oauth.TokenEndpointRequestOptions;
}

/**
 * The OAuth provider for `name` from the integration settings (the ones the self-test reads), or
 * `null` when its client id, secret or redirect URI is not set.
 *
 * Google's consent page lives on `accounts.google.com`, its token endpoint on
 * `oauth2.googleapis.com`; when `GOOGLE_OAUTH_BASE_URL` points elsewhere (a local fake), every
 * Google endpoint is taken from that origin, at Google's own paths.
 */
export function oauthProvider(settings: IntegrationSettings, name: Exclude<CalendarProvider, 'sandbox'>): OAuthProvider | null {
  const s = name === 'google' ? settings.google : settings.microsoft;
  if (!s.clientId || !s.clientSecret || !s.redirectUri) return null;
  let as: oauth.AuthorizationServer;
  if (name === 'google') {
    const origin = settings.google.baseUrl;
    const fake = origin !== GOOGLE_DEFAULT_TOKEN_ORIGIN;
    as = {
      issuer: fake ? origin : 'https://accounts.google.com',
      authorization_endpoint: fake ? `${origin}/o/oauth2/v2/auth` : GOOGLE_AUTHORIZE_URL,
      token_endpoint: `${origin}/token`,
      revocation_endpoint: `${origin}/revoke`,
    };
  } else {
    const base = `${settings.microsoft.baseUrl}/${encodeURIComponent(settings.microsoft.tenant)}`;
    // No revocation endpoint: the Microsoft identity platform has none for this flow.
    as = { issuer: `${base}/v2.0`, authorization_endpoint: `${base}/oauth2/v2.0/authorize`, token_endpoint: `${base}/oauth2/v2.0/token` };
  }
  const insecure = as.token_endpoint!.startsWith('http:');
  return {
    name,
    as,
    client: { client_id: s.clientId },
    clientAuth: oauth.ClientSecretPost(s.clientSecret),
    redirectUri: s.redirectUri,
    scope: SCOPES[name],
    extraParams: name === 'google' ? { access_type: 'offline', prompt: 'consent' } : { prompt: 'select_account' },
    options: () => ({ signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS), ...(insecure ? { [oauth.allowInsecureRequests]: true } : {}) }),
  };
}

/**
 * The sandbox provider: the authorization server this server serves itself, used exactly as
 * Google is (same library calls, same checks); it sends `iss` on its redirects (RFC 9207), which
 * oauth4webapi then requires. Plain http is allowed only because the sandbox is the server's own
 * address (a developer's machine); behind `CAREOS_PUBLIC_URL=https://…` it is https.
 */
export function sandboxProvider(endpoints: SandboxEndpoints, client: SandboxClient): OAuthProvider {
  const insecure = endpoints.token.startsWith('http:');
  return {
    name: 'sandbox',
    as: {
      issuer: endpoints.issuer,
      authorization_endpoint: endpoints.authorization,
      token_endpoint: endpoints.token,
      revocation_endpoint: endpoints.revocation,
      authorization_response_iss_parameter_supported: true,
    },
    client: { client_id: client.clientId },
    clientAuth: oauth.ClientSecretPost(client.clientSecret),
    redirectUri: client.redirectUri,
    scope: SANDBOX_SCOPE,
    extraParams: {},
    options: () => ({ signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS), ...(insecure ? { [oauth.allowInsecureRequests]: true } : {}) }),
  };
}

/**
 * The calendar providers this deployment offers: Google and Microsoft from their settings, the
 * sandbox from its site (on, and its address known).
 */
export class CalendarProviders {
  constructor(
    private readonly settings: IntegrationSettings,
    private readonly sandbox: SandboxCalendarSite,
  ) {}

  /** The provider `name`, or `null` when it is not configured here. */
  async get(name: CalendarProvider): Promise<OAuthProvider | null> {
    if (name !== 'sandbox') return oauthProvider(this.settings, name);
    const endpoints = this.sandbox.endpoints();
    const client = endpoints ? await this.sandbox.client() : null;
    return endpoints && client ? sandboxProvider(endpoints, client) : null;
  }
}

/** A fresh PKCE pair and state for one consent. */
export async function newConsent(): Promise<{ state: string; verifier: string; challenge: string }> {
  const verifier = oauth.generateRandomCodeVerifier();
  return { state: oauth.generateRandomState(), verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier) };
}

/** The consent URL for `provider` (oauth4webapi leaves building it to the caller; these are RFC 6749 §4.1.1 and RFC 7636 parameters). */
export function authorizationUrl(provider: OAuthProvider, state: string, challenge: string): string {
  const url = new URL(provider.as.authorization_endpoint!);
  const params = {
    client_id: provider.client.client_id,
    redirect_uri: provider.redirectUri,
    response_type: 'code',
    scope: provider.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...provider.extraParams,
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

/** Tokens as a provider answered them. */
export interface ProviderTokens {
  accessToken: string;
  /** Absent when the provider keeps the current one (Google on refresh). */
  refreshToken: string | undefined;
  expiresInSeconds: number;
  scope: string | undefined;
}

function tokensOf(response: oauth.TokenEndpointResponse): ProviderTokens {
  return { accessToken: response.access_token, refreshToken: response.refresh_token, expiresInSeconds: response.expires_in ?? 3600, scope: response.scope };
}

/**
 * The callback's parameters checked as RFC 6749 §4.1.2 and RFC 9207 want them (state, a code, the
 * issuer when sent), or `null` when they are not a valid authorization response.
 */
export function callbackParameters(provider: OAuthProvider, callback: URLSearchParams, state: string): URLSearchParams | null {
  try {
    return oauth.validateAuthResponse(provider.as, provider.client, callback, state);
  } catch {
    return null;
  }
}

/** Redeems a validated authorization response's code with its PKCE verifier. Throws oauth4webapi's errors (see {@link oauthErrorCode}). */
export async function redeemCode(provider: OAuthProvider, params: URLSearchParams, verifier: string): Promise<ProviderTokens> {
  const response = await oauth.authorizationCodeGrantRequest(provider.as, provider.client, provider.clientAuth, params, provider.redirectUri, verifier, provider.options());
  return tokensOf(await oauth.processAuthorizationCodeResponse(provider.as, provider.client, response));
}

/** Exchanges a refresh token for new tokens (Microsoft rotates the refresh token; Google usually does not). */
export async function refreshTokens(provider: OAuthProvider, refreshToken: string): Promise<ProviderTokens> {
  const response = await oauth.refreshTokenGrantRequest(provider.as, provider.client, provider.clientAuth, refreshToken, provider.options());
  return tokensOf(await oauth.processRefreshTokenResponse(provider.as, provider.client, response));
}

/** Revokes a token where the provider has an endpoint for it; `false` when it has none or refused. */
export async function revokeToken(provider: OAuthProvider, token: string): Promise<boolean> {
  if (!provider.as.revocation_endpoint) return false;
  const response = await oauth.revocationRequest(provider.as, provider.client, provider.clientAuth, token, provider.options());
  await oauth.processRevocationResponse(response);
  return true;
}

/**
 * The OAuth error code (`invalid_grant`, `access_denied`…) of a provider's refusal, or `null` when
 * the failure is not an answer from the provider (unreachable, timed out, malformed).
 */
export function oauthErrorCode(error: unknown): string | null {
  if (error instanceof oauth.ResponseBodyError) return error.error;
  if (error instanceof oauth.AuthorizationResponseError) return error.error;
  return null;
}
