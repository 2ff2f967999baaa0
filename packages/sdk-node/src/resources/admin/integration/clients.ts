import { routes, type RouteBody, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../../../core/api-promise.js';
import type { RequestOptions } from '../../../core/options.js';
import { APIResource } from '../../../core/resource.js';

const R = { create: routes.createClient } as const;

/** Body of `admin.integration.clients.create()`: `first_name`, `last_name`, `email`. */
export type ClientCreateParams = RouteBody<typeof routes.createClient>;
/** `{ client }`. */
export type ClientRecordResponse = RouteResponse<typeof routes.createClient>;

/** Clients of the relationship programme (sandbox). Admin role. */
export class AdminIntegrationClients extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Creates a client; link it to a therapist with `admin.integration.links.create()`. */
  create(body: ClientCreateParams, options?: RequestOptions): APIPromise<ClientRecordResponse> {
    return this._client.request(R.create, { body }, options);
  }
}
