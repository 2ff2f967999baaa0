import { routes, type RouteBody, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../../core/api-promise.js';
import type { RequestOptions } from '../../../core/options.js';
import { APIResource } from '../../../core/resource.js';

const R = { list: routes.listLookupKeys, create: routes.createLookupKey, revoke: routes.revokeLookupKey } as const;

/** `{ keys }`: every lookup key, without the keys themselves, newest first. */
export type LookupKeyListResponse = RouteResponse<typeof routes.listLookupKeys>;
/** Body of `admin.lookup.keys.create()`: `name`, and `environment` (`live` by default). */
export type LookupKeyCreateParams = RouteBody<typeof routes.createLookupKey>;
/** `{ api_key, key }`: the new key, shown this once, and its metadata. */
export type LookupKeyCreateResponse = RouteResponse<typeof routes.createLookupKey>;
/** `{ key }` after a revocation. */
export type LookupKeyRevokeResponse = RouteResponse<typeof routes.revokeLookupKey>;

/** CCaaS lookup API keys. Admin role. */
export class AdminLookupKeys extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Every lookup key (prefix, name, dates), newest first. */
  list(options?: RequestOptions): APIPromise<LookupKeyListResponse> {
    return this._client.request(R.list, undefined, options);
  }

  /** Issues a lookup key for a contact centre; `api_key` is shown only in this answer. */
  create(body: LookupKeyCreateParams, options?: RequestOptions): APIPromise<LookupKeyCreateResponse> {
    return this._client.request(R.create, { body }, options);
  }

  /** Revokes a lookup key: lookups with it are refused (401) at once. */
  revoke(keyId: string, options?: RequestOptions): APIPromise<LookupKeyRevokeResponse> {
    return this._client.request(R.revoke, { params: { keyId } }, options);
  }
}
