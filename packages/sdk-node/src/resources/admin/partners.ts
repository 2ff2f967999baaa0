import { routes, type RouteBody, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../core/api-promise.js';
import type { RequestOptions } from '../../core/options.js';
import { APIResource } from '../../core/resource.js';

const R = { list: routes.listPartners, create: routes.createPartner, createKey: routes.createPartnerKey } as const;

/** Every partner with its key metadata. */
export type PartnerListResponse = RouteResponse<typeof routes.listPartners>;
/** Body of `admin.partners.create()`. */
export type PartnerCreateParams = RouteBody<typeof routes.createPartner>;
/** The new partner with its first API key and salt (shown once). */
export type PartnerCreateResponse = RouteResponse<typeof routes.createPartner>;
/** Body of `admin.partners.createKey()`. */
export type PartnerKeyCreateParams = RouteBody<typeof routes.createPartnerKey>;
/** The new API key (shown once) and its metadata. */
export type PartnerKeyCreateResponse = RouteResponse<typeof routes.createPartnerKey>;

/** Lead partners and their API keys. Admin role. */
export class AdminPartners extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** All partners. */
  list(options?: RequestOptions): APIPromise<PartnerListResponse> {
    return this._client.request(R.list, undefined, options);
  }

  /** Creates a partner with its first API key and phone-hash salt. */
  create(body: PartnerCreateParams, options?: RequestOptions): APIPromise<PartnerCreateResponse> {
    return this._client.request(R.create, { body }, options);
  }

  /** Issues a new API key for `platform` (rotation); `revoke_existing` revokes the others. */
  createKey(platform: string, body?: PartnerKeyCreateParams, options?: RequestOptions): APIPromise<PartnerKeyCreateResponse> {
    return this._client.request(R.createKey, { params: { platform }, body }, options);
  }
}
