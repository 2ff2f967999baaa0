import { routes, type RouteBody, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../../core/api-promise.js';
import type { RequestOptions } from '../../../core/options.js';
import { APIResource } from '../../../core/resource.js';

const R = {
  list: routes.listIntegrationPartners,
  create: routes.createIntegrationPartner,
  update: routes.updateIntegrationPartner,
  createKey: routes.createIntegrationKey,
} as const;

/** `{ partners }`: every integration partner with its key metadata. */
export type IntegrationPartnerListResponse = RouteResponse<typeof routes.listIntegrationPartners>;
/** Body of `admin.integration.partners.create()`: `name`, `environment`, `ip_allowlist`, `rate_limit_per_minute`. */
export type IntegrationPartnerCreateParams = RouteBody<typeof routes.createIntegrationPartner>;
/** The new partner with its first `api_key` and `api_secret` (shown once). */
export type IntegrationPartnerCreateResponse = RouteResponse<typeof routes.createIntegrationPartner>;
/** Body of `admin.integration.partners.update()`: any of `name`, `status`, `ip_allowlist`, `rate_limit_per_minute`. */
export type IntegrationPartnerUpdateParams = RouteBody<typeof routes.updateIntegrationPartner>;
/** `{ partner }`. */
export type IntegrationPartnerResponse = RouteResponse<typeof routes.updateIntegrationPartner>;
/** Body of `admin.integration.partners.createKey()`: `environment`, `revoke_existing`. */
export type IntegrationKeyCreateParams = RouteBody<typeof routes.createIntegrationKey>;
/** The new `api_key` and `api_secret` (shown once) and the key's metadata. */
export type IntegrationKeyCreateResponse = RouteResponse<typeof routes.createIntegrationKey>;

/** Integration partners (such as SuperTool) and their API keys. Admin role. */
export class AdminIntegrationPartners extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** All integration partners with their key metadata. */
  list(options?: RequestOptions): APIPromise<IntegrationPartnerListResponse> {
    return this._client.request(R.list, undefined, options);
  }

  /** Creates a partner with its first API key and secret; the secret is in this response only. */
  create(body: IntegrationPartnerCreateParams, options?: RequestOptions): APIPromise<IntegrationPartnerCreateResponse> {
    return this._client.request(R.create, { body }, options);
  }

  /** Suspends or reactivates a partner (suspending stops its tokens at once), or sets its IP allowlist or rate limit. */
  update(partnerId: string, body: IntegrationPartnerUpdateParams, options?: RequestOptions): APIPromise<IntegrationPartnerResponse> {
    return this._client.request(R.update, { params: { partnerId }, body }, options);
  }

  /** Issues a new key and secret for the partner (rotation); `revoke_existing` revokes the others. */
  createKey(partnerId: string, body?: IntegrationKeyCreateParams, options?: RequestOptions): APIPromise<IntegrationKeyCreateResponse> {
    return this._client.request(R.createKey, { params: { partnerId }, body }, options);
  }
}
