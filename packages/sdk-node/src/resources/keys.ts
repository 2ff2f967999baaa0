import { routes, type PublicKeyResponse } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import { APIResource } from '../core/resource.js';

const R = { retrievePublic: routes.retrievePublicKey } as const;

/** CareOS's phone-encryption key. No auth. */
export class Keys extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** The current public key (PEM) and its key id. Compare the id with your configured key's `publicKeyId()`. */
  retrievePublic(options?: RequestOptions): APIPromise<PublicKeyResponse> {
    return this._client.request(R.retrievePublic, undefined, options);
  }
}
