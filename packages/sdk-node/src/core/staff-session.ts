import { routes, type LoginResponse, type RouteSpec } from '@careos/contract';
import { APIError } from './errors.js';
import type { RequestInput } from './request-input.js';

/** Sends one request of the core's (no token of its own needed: these routes have auth `none`). */
type Send = (route: RouteSpec, input: RequestInput) => Promise<LoginResponse>;

/**
 * Fetches staff tokens for a client holding an email and password. The first fetch logs in;
 * later ones exchange the session's refresh token, which spares the server a password check
 * (argon2) and the login limiter an attempt. When the refresh token is refused (expired,
 * revoked by a logout, or spent by a copy, which revokes the session) it logs in again.
 */
export function staffSessionFetcher(send: Send, credentials: { email: string; password: string }): () => Promise<LoginResponse> {
  let refreshToken: string | undefined;
  return async () => {
    let session: LoginResponse | undefined;
    const token = refreshToken;
    refreshToken = undefined;
    if (token !== undefined) {
      session = await send(routes.refreshToken, { body: { refresh_token: token } }).catch((error: unknown) => {
        if (error instanceof APIError && error.status === 401) return undefined;
        throw error;
      });
    }
    session ??= await send(routes.login, { body: credentials });
    refreshToken = session.refresh_token;
    return session;
  };
}
