import { routes, type Contact, type RouteBody, type RouteQuery, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import type { PagePromise } from '../core/pagination.js';
import { APIResource } from '../core/resource.js';

const R = {
  create: routes.createContact,
  list: routes.listContacts,
  retrieve: routes.getContact,
  update: routes.updateContact,
  delete: routes.deleteContact,
  resumeAutomation: routes.resumeAutomation,
} as const;

/** Body of `contacts.create()`: `name` and a `phone` or `email`; `notes`, `language` optional. */
export type ContactCreateParams = RouteBody<typeof routes.createContact>;
/** The new contact and the id of the welcome SMS queued for its phone (null without one). */
export type ContactCreateResponse = RouteResponse<typeof routes.createContact>;
/** Query of `contacts.list()`: `name`, `email`, `phone`, `source`, `limit`, `cursor`. */
export type ContactListParams = RouteQuery<typeof routes.listContacts>;
/** Body of `contacts.update()`: the fields to change (`null` clears phone, email or notes). */
export type ContactUpdateParams = RouteBody<typeof routes.updateContact>;
/** `{ contact }`: answer of `contacts.retrieve()` and `contacts.update()`. */
export type ContactResponse = RouteResponse<typeof routes.getContact>;
/** Answer of `contacts.delete()`. */
export type ContactDeleteResponse = RouteResponse<typeof routes.deleteContact>;
/** `{ contact, resumed }`: answer of `contacts.resumeAutomation()`. */
export type ResumeAutomationResponse = RouteResponse<typeof routes.resumeAutomation>;

/** Contacts: the people care operations serve (staff token; `delete` and `resumeAutomation` need the admin role). */
export class Contacts extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Creates a contact; one with a phone is sent the welcome SMS. A phone already a contact's is 409 `CONTACT_EXISTS`. */
  create(body: ContactCreateParams, options?: RequestOptions): APIPromise<ContactCreateResponse> {
    return this._client.request(R.create, { body }, options);
  }

  /** Contacts, newest first, filtered and searched; iterate with `for await` to walk every page. */
  list(query?: ContactListParams, options?: RequestOptions): PagePromise<Contact> {
    return this._client.requestPage(R.list, query, options);
  }

  /** One contact, as `{ contact }`. */
  retrieve(id: string, options?: RequestOptions): APIPromise<ContactResponse> {
    return this._client.request(R.retrieve, { params: { id } }, options);
  }

  /** Changes a contact; answers `{ contact }` as it now is. */
  update(id: string, body: ContactUpdateParams, options?: RequestOptions): APIPromise<ContactResponse> {
    return this._client.request(R.update, { params: { id }, body }, options);
  }

  /** Deletes a contact (admin): its details are erased; it is then 404. */
  delete(id: string, options?: RequestOptions): APIPromise<ContactDeleteResponse> {
    return this._client.request(R.delete, { params: { id } }, options);
  }

  /** Resumes automated messages to a contact a staff reply paused (admin); what was cancelled stays cancelled. */
  resumeAutomation(id: string, options?: RequestOptions): APIPromise<ResumeAutomationResponse> {
    return this._client.request(R.resumeAutomation, { params: { id } }, options);
  }
}
