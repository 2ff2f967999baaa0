import { routes, type RouteBody, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../core/api-promise.js';
import type { RequestOptions } from '../../core/options.js';
import { APIResource } from '../../core/resource.js';

const R = { token: routes.createIntegrationToken, createToken: routes.createIntegrationToken } as const;

/** Credentials to use for one `auth.createToken()` call instead of the client's (e.g. another `therapistId`). */
export type IntegrationTokenParams = Partial<RouteBody<typeof routes.createIntegrationToken>>;
/** `{ token, expiresIn, tokenType: 'Bearer' }`: a one-hour therapist token (seed §1). */
export type IntegrationTokenResponse = RouteResponse<typeof routes.createIntegrationToken>;

/** The integration token exchange. Every other method authenticates by itself: you need this only to use the token elsewhere. */
export class IntegrationAuth extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /**
   * The bearer token this client is sending: the cached one while it is fresh, otherwise a new
   * one from `POST /api/integration/auth`, shared with every call waiting for it.
   */
  token(options?: Pick<RequestOptions, 'signal'>): Promise<string> {
    return this._client.cachedToken(R.token, options);
  }

  /**
   * Exchanges the API key and secret for a new one-hour token, every time it is called, with
   * the client's credentials unless `params` replaces some. The client keeps using its own
   * cached token: this one is yours to pass on.
   */
  createToken(params?: IntegrationTokenParams, options?: RequestOptions): APIPromise<IntegrationTokenResponse> {
    return this._client.request(R.createToken, () => ({ body: this._client.integrationAuthBody(params) }), options);
  }
}
