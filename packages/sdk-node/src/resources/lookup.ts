import { routes, type LookupResult } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import { APIResource } from '../core/resource.js';

const R = { get: routes.lookupPhone, post: routes.lookupPhonePost } as const;

/**
 * The lookup endpoint itself, one request per call: no cache, the phone sent as given (the
 * server normalises it, and `phone_searched` echoes it), and failures thrown as typed errors.
 * "No case" (the 404 `{ found: false }`) resolves like a found case. For screen pops use
 * `byPhone()`, which caches and never throws.
 */
export class LookupRequests extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** `GET /api/lookup?phone=…`: the phone travels in the URL (and so into access logs on the way). */
  get(phone: string, options?: RequestOptions): APIPromise<LookupResult> {
    return this._client.request(R.get, { query: { phone } }, options);
  }

  /** `POST /api/lookup` with `{ phone }` in the body. */
  post(phone: string, options?: RequestOptions): APIPromise<LookupResult> {
    return this._client.request(R.post, { body: { phone } }, options);
  }
}
