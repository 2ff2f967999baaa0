import { routes, type HealthResponse, type ReadinessResponse } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import { APIResource } from '../core/resource.js';

const R = { check: routes.health, ready: routes.readiness } as const;

/** Service health. No auth. */
export class Health extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Service and database status. */
  check(options?: RequestOptions): APIPromise<HealthResponse> {
    return this._client.request(R.check, undefined, options);
  }

  /** Whether the instance can serve, and which store counts rate limits (`redis`, `database` fallback, `memory`). */
  ready(options?: RequestOptions): APIPromise<ReadinessResponse> {
    return this._client.request(R.ready, undefined, options);
  }
}
