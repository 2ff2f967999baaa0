import { routes, type Message, type RouteBody, type RouteQuery, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import type { PagePromise } from '../core/pagination.js';
import { APIResource } from '../core/resource.js';

const R = {
  create: routes.createMessage,
  list: routes.listConversationMessages,
  conversation: routes.getConversation,
} as const;

/** Body of `messages.create()`: `contact_id`, `body`, and `direction` (`outbound`, the default, or `inbound`). */
export type MessageCreateParams = RouteBody<typeof routes.createMessage>;
/** The message, whether the contact's automation is paused, and the automated messages a reply cancelled. */
export type MessageCreateResponse = RouteResponse<typeof routes.createMessage>;
/** Query of `messages.list()`: `contact_id`, `direction`, `status`, `kind`, `automated`, `limit`, `cursor`. */
export type ConversationListParams = RouteQuery<typeof routes.listConversationMessages>;
/** Query of `messages.conversation()`: `direction`, `status`, `kind`, `automated`, `limit`, `cursor`. */
export type ConversationParams = RouteQuery<typeof routes.getConversation>;

/**
 * Messages: the conversation with a contact, both directions (staff token). A reply stops
 * automated messages to the contact until an admin calls `contacts.resumeAutomation()`.
 */
export class Messages extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /**
   * Sends a staff reply (queued, sent after commit; the contact's automation is paused and their
   * queued automated messages cancelled), or records an inbound message with `direction: 'inbound'`.
   */
  create(body: MessageCreateParams, options?: RequestOptions): APIPromise<MessageCreateResponse> {
    return this._client.request(R.create, { body }, options);
  }

  /** Messages of every conversation, newest first; iterate with `for await` to walk every page. */
  list(query?: ConversationListParams, options?: RequestOptions): PagePromise<Message> {
    return this._client.requestPage(R.list, query, options);
  }

  /** One contact's conversation, newest first (404 for an unknown contact). */
  conversation(contactId: string, query?: ConversationParams, options?: RequestOptions): PagePromise<Message> {
    return this._client.requestPage(R.conversation, query, options, { contact_id: contactId });
  }
}
