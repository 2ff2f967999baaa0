import { routes, type Communication, type RouteBody, type RouteQuery, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import type { PagePromise } from '../core/pagination.js';
import { APIResource } from '../core/resource.js';

const R = {
  send: routes.sendComms,
  sendBulk: routes.sendBulkComms,
  get: routes.getComms,
  list: routes.listComms,
} as const;

/** Body of `comms.send()`: `client_id`, `type` (`sms`/`email`), `subject?`, `body` — or `template_id` + `dynamic_data`; `contains_phi?`, `on_baa_missing?`. */
export type CommsSendParams = RouteBody<typeof routes.sendComms>;
/** The queued communication: `id`, `status`, and for an SMS `encoding` and `segments`. */
export type CommsSendResponse = RouteResponse<typeof routes.sendComms>;
/** Body of `comms.sendBulk()`: `type`, the content, and `recipients` (up to 5,000). */
export type CommsBulkParams = RouteBody<typeof routes.sendBulkComms>;
/** One result per recipient: `queued`, `opted_out`, `invalid`, `suppressed` or `failed`. */
export type CommsBulkResponse = RouteResponse<typeof routes.sendBulkComms>;
/** Query of `comms.list()`: `client_id` (required), `type`, `limit`, `cursor`. */
export type CommsListParams = RouteQuery<typeof routes.listComms>;
/** `{ communication }`: status, provider id, timestamps, segments. */
export type CommsGetResponse = RouteResponse<typeof routes.getComms>;

/**
 * Communications: SMS and email to clients (staff token). Sends are queued and sent after
 * commit; opted-out numbers (`OPTED_OUT`), suppressed addresses (`SUPPRESSED`) and PHI without a
 * BAA (`BAA_REQUIRED`) are refused with a `CareOSError` carrying the code.
 */
export class Comms extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Sends one SMS or email to a client (the seed's `POST /comms`). */
  send(body: CommsSendParams, options?: RequestOptions): APIPromise<CommsSendResponse> {
    return this._client.request(R.send, { body }, options);
  }

  /** Sends one content to many clients; one result per recipient, a bad one never aborts the rest. */
  sendBulk(body: CommsBulkParams, options?: RequestOptions): APIPromise<CommsBulkResponse> {
    return this._client.request(R.sendBulk, { body }, options);
  }

  /** Status of one communication (the seed's `getSMSStatus`). */
  get(id: string, options?: RequestOptions): APIPromise<CommsGetResponse> {
    return this._client.request(R.get, { params: { id } }, options);
  }

  /** A client's communications, newest first; iterate with `for await` to walk every page. */
  list(query: CommsListParams, options?: RequestOptions): PagePromise<Communication> {
    return this._client.requestPage(R.list, query, options);
  }
}
