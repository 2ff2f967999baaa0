import { routes, type OutboundMessage, type RouteQuery } from '@careos/contract';
import type { RequestOptions } from '../../core/options.js';
import type { PagePromise } from '../../core/pagination.js';
import { APIResource } from '../../core/resource.js';

const R = { list: routes.listMessages } as const;

/** Query of `admin.messages.list()`: `lead_id`, `user_id`, `limit`, `cursor`. */
export type MessageListParams = RouteQuery<typeof routes.listMessages>;

/** Outbound SMS and email (recipients masked). Staff or admin. */
export class AdminMessages extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Outbound messages, newest first; iterate with `for await` to walk every page. */
  list(query?: MessageListParams, options?: RequestOptions): PagePromise<OutboundMessage> {
    return this._client.requestPage(R.list, query, options);
  }
}
