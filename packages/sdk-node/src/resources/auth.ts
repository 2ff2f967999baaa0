import { routes, type LoginResponse, type RegisterRequest, type StaffUser } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import { APIResource } from '../core/resource.js';

const R = { register: routes.register, login: routes.login, refresh: routes.refreshToken, logout: routes.logout } as const;

/** Staff and admin accounts and sessions. */
export class Auth extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /**
   * Creates a staff or admin account. Needs an admin's token (`staffEmail`/`staffPassword` of an
   * admin, or `staffToken`), except for the first admin of a new development server.
   */
  register(body: RegisterRequest, options?: RequestOptions): APIPromise<StaffUser> {
    return this._client.request(R.register, { body }, options);
  }

  /**
   * Exchanges an email and password for a short-lived bearer token and a refresh token. The
   * client does this by itself when given `staffEmail`/`staffPassword`; call it directly to
   * obtain a token for elsewhere.
   */
  login(body: { email: string; password: string }, options?: RequestOptions): APIPromise<LoginResponse> {
    return this._client.request(R.login, { body }, options);
  }

  /**
   * Exchanges a refresh token for a new pair. Each refresh token works once; presenting a spent
   * one revokes the session (`REFRESH_TOKEN_REUSED`).
   */
  refresh(body: { refresh_token: string }, options?: RequestOptions): APIPromise<LoginResponse> {
    return this._client.request(R.refresh, { body }, options);
  }

  /** Ends the session a refresh token belongs to. */
  logout(body: { refresh_token: string }, options?: RequestOptions): APIPromise<{ logged_out: true }> {
    return this._client.request(R.logout, { body }, options);
  }
}
