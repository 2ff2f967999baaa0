import { routes, type IntegrationAuthRequest, type IntegrationAuthResponse, type LoginResponse, type RouteSpec } from '@careos/contract';
import type { ResolvedOptions } from './options.js';
import type { RequestInput } from './request-input.js';
import { staffSessionFetcher } from './staff-session.js';
import { TokenManager, jwtExpiry } from './token-manager.js';

/** Sends one request through the core and resolves to its data (the token routes have auth `none`). */
export type SendForData = <T>(route: RouteSpec, input: RequestInput) => Promise<T>;

/**
 * The staff bearer tokens of a client given `staffEmail` and `staffPassword` (undefined
 * otherwise): logged in on first use, then renewed with the session's refresh token. A given
 * `staffToken` serves until it expires.
 */
export function staffTokenManager(options: ResolvedOptions, send: SendForData): TokenManager | undefined {
  const { staffEmail: email, staffPassword: password, staffToken, logger } = options;
  if (email === undefined || password === undefined) return undefined;
  const nextSession = staffSessionFetcher((route, input) => send<LoginResponse>(route, input), { email, password });
  return new TokenManager({
    initial: staffToken === undefined ? undefined : { token: staffToken, expiresAt: jwtExpiry(staffToken) },
    fetchToken: async () => {
      const data = await nextSession();
      logger.info('Staff token refreshed', { expires_in: data.expires_in });
      return { token: data.access_token, expiresAt: Date.now() + data.expires_in * 1000 };
    },
    onBackgroundError: (error) => logger.warn('Background staff token refresh failed', { error }),
  });
}

/** The integration bearer tokens of a client with a complete key, secret and therapist (undefined otherwise). */
export function integrationTokenManager(options: ResolvedOptions, send: SendForData): TokenManager | undefined {
  const { integration: credentials, logger } = options;
  if (credentials?.apiKey === undefined || credentials.apiSecret === undefined || credentials.therapistId === undefined) return undefined;
  const body: IntegrationAuthRequest = { apiKey: credentials.apiKey, apiSecret: credentials.apiSecret, therapistId: credentials.therapistId };
  return new TokenManager({
    // The exchange route has auth `none`, so fetching a token never waits on a token itself.
    fetchToken: async () => {
      const data = await send<IntegrationAuthResponse>(routes.createIntegrationToken, { body });
      logger.info('Integration token refreshed', { therapist_id: body.therapistId, expires_in: data.expiresIn });
      // Expiry from our own clock plus `expiresIn`, not the JWT's `exp`: a skewed local clock cannot make a fresh token look stale.
      return { token: data.token, expiresAt: Date.now() + data.expiresIn * 1000 };
    },
    onBackgroundError: (error) => logger.warn('Background integration token refresh failed', { error }),
  });
}
