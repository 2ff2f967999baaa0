import { z } from 'zod';
import { IdParam } from '../common.js';
import { ErrorText } from '../errors.js';
import {
  ContactList,
  ContactListQuery,
  ContactResponse,
  CreateContactRequest,
  CreateContactResponse,
  DeleteContactResponse,
  UpdateContactRequest,
} from '../schemas/contacts.js';
import { defineRoute } from '../route.js';
import { adminErrors, adminWriteErrors } from './shared.js';

const contactsTag = ['Contacts'] as const;
const params = z.object({ id: IdParam });

/**
 * Contacts (care operations): the people CareOS serves. Staff create, read and update them
 * (they run bookings and reply to messages); only admins delete them.
 */
export const contactRoutes = {
  createContact: defineRoute({
    id: 'createContact',
    method: 'POST',
    path: '/contacts',
    summary: 'Create a contact; a contact with a phone is sent the welcome SMS',
    tags: contactsTag,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    body: CreateContactRequest,
    status: 201,
    response: CreateContactResponse,
    errors: {
      ...adminWriteErrors,
      400: [ErrorText.invalidBody, ErrorText.malformedJson, ErrorText.invalidPhone],
      409: [ErrorText.contactExists, ErrorText.idempotencyInProgress],
      422: [ErrorText.idempotencyConflict],
    },
  }),

  listContacts: defineRoute({
    id: 'listContacts',
    method: 'GET',
    path: '/contacts',
    summary: 'Contacts, newest first; search by name, email or phone, filter by source',
    tags: contactsTag,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    query: ContactListQuery,
    status: 200,
    response: ContactList,
    errors: { ...adminErrors, 400: [ErrorText.invalidQuery, ErrorText.invalidPhone] },
  }),

  getContact: defineRoute({
    id: 'getContact',
    method: 'GET',
    path: '/contacts/{id}',
    summary: 'One contact',
    tags: contactsTag,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    params,
    status: 200,
    response: ContactResponse,
    errors: { ...adminErrors, 404: [ErrorText.notFound] },
  }),

  updateContact: defineRoute({
    id: 'updateContact',
    method: 'PATCH',
    path: '/contacts/{id}',
    summary: "Change a contact's name, phone, email, notes, language or automation pause",
    tags: contactsTag,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    params,
    body: UpdateContactRequest,
    status: 200,
    response: ContactResponse,
    errors: { ...adminWriteErrors, 400: [ErrorText.invalidBody, ErrorText.malformedJson, ErrorText.invalidPhone], 404: [ErrorText.notFound], 409: [ErrorText.contactExists] },
  }),

  deleteContact: defineRoute({
    id: 'deleteContact',
    method: 'DELETE',
    path: '/contacts/{id}',
    summary: "Delete a contact (admin only): the person's details are erased, their leads and messages kept",
    tags: contactsTag,
    auth: 'staffJwt',
    roles: ['admin'],
    params,
    status: 200,
    response: DeleteContactResponse,
    errors: { ...adminErrors, 404: [ErrorText.notFound] },
  }),
} as const;
