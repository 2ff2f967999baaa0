import { routes, type LoginResponse } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import { APIResource } from '../core/resource.js';

const R = { login: routes.login } as const;

/** Staff and admin sign-in. */
export class Auth extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /**
   * Exchanges an email and password for a bearer token. The client does this by itself when
   * given `staffEmail`/`staffPassword`; call it directly to obtain a token for elsewhere.
   */
  login(body: { email: string; password: string }, options?: RequestOptions): APIPromise<LoginResponse> {
    return this._client.request(R.login, { body }, options);
  }
}
