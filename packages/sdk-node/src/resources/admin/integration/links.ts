import { routes, type RouteBody, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../../core/api-promise.js';
import type { RequestOptions } from '../../../core/options.js';
import { APIResource } from '../../../core/resource.js';

const R = { create: routes.createClientLink, update: routes.updateClientLink } as const;

/** Body of `admin.integration.links.create()`: `therapist_id`, `client_id`, `permission_level`. */
export type ClientLinkCreateParams = RouteBody<typeof routes.createClientLink>;
/** Body of `admin.integration.links.update()`: `permission_level` and/or `consent` (`granted` or `revoked`). */
export type ClientLinkUpdateParams = RouteBody<typeof routes.updateClientLink>;
/** `{ link }`. */
export type ClientLinkResponse = RouteResponse<typeof routes.createClientLink>;

/** Therapist-client links: consent and permission level, as the client sets them in the app. Admin role. */
export class AdminIntegrationLinks extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Links a client to a therapist at a permission level, with consent granted now. */
  create(body: ClientLinkCreateParams, options?: RequestOptions): APIPromise<ClientLinkResponse> {
    return this._client.request(R.create, { body }, options);
  }

  /** Changes the permission level, or revokes (queues `consent.revoked`) or grants consent; effective on the next request. */
  update(linkId: string, body: ClientLinkUpdateParams, options?: RequestOptions): APIPromise<ClientLinkResponse> {
    return this._client.request(R.update, { params: { linkId }, body }, options);
  }
}
