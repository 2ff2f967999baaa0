import { z } from 'zod';
import { IdParam } from '../common.js';
import { ErrorText } from '../errors.js';
import {
  CreateLookupCaseRequest,
  CreateLookupKeyRequest,
  CreateLookupKeyResponse,
  LookupCaseRecord,
  LookupFound,
  LookupKeyList,
  LookupKeyResponse,
  LookupNotFound,
  LookupQuery,
  LookupRequest,
} from '../schemas/lookup.js';
import { defineRoute } from '../route.js';
import { adminErrors, adminWriteErrors } from './shared.js';

const lookupTag = ['Lookup'] as const;
/** The lookup seed's 404: "no case" is an answer, not an error. */
const lookupNotFound = {
  404: { description: 'No case for this number (a normal outcome: show a new-lead form)', response: LookupNotFound },
} as const;
const lookupDescription =
  'Searches the primary, home and cell phone of every patient and returns the most recent case. Any common phone shape ' +
  'finds the same case (E.164, spaced, 00 prefix, national format in the server’s default country). Authenticate with ' +
  '`x-api-key: <key>` or `Authorization: Bearer <key>`. A 404 `{ found: false }` is a normal outcome, not an error.';

/** The CCaaS screen-pop lookup and its admin routes. */
export const lookupRoutes = {
  lookupPhone: defineRoute({
    id: 'lookupPhone',
    method: 'GET',
    path: '/api/lookup',
    summary: 'Screen pop: the most recent case of the patient with this phone number',
    description: lookupDescription,
    tags: lookupTag,
    auth: 'lookupKey',
    rateLimit: 'lookup',
    audit: true,
    query: LookupQuery,
    status: 200,
    response: LookupFound,
    alternatives: lookupNotFound,
    errors: {
      400: [ErrorText.phoneRequired, ErrorText.invalidPhone, ErrorText.invalidQuery],
      401: [ErrorText.unauthorized],
      429: [ErrorText.rateLimited],
    },
  }),

  lookupPhonePost: defineRoute({
    id: 'lookupPhonePost',
    method: 'POST',
    path: '/api/lookup',
    summary: 'Screen pop with the phone in a JSON body (same answers as GET)',
    description:
      `${lookupDescription} A lookup is a read: it ignores Idempotency-Key (a replayed answer could hide a newer case, ` +
      'and patient data must not be kept for a day for replays).',
    tags: lookupTag,
    auth: 'lookupKey',
    rateLimit: 'lookup',
    audit: true,
    body: LookupRequest,
    status: 200,
    response: LookupFound,
    alternatives: lookupNotFound,
    errors: {
      400: [ErrorText.phoneRequired, ErrorText.invalidPhone, ErrorText.invalidBody, ErrorText.malformedJson],
      401: [ErrorText.unauthorized],
      413: [ErrorText.payloadTooLarge],
      415: [ErrorText.unsupportedMediaType],
      429: [ErrorText.rateLimited],
    },
  }),

  listLookupKeys: defineRoute({
    id: 'listLookupKeys',
    method: 'GET',
    path: '/admin/lookup/keys',
    summary: 'Every lookup API key (without the keys), newest first',
    tags: ['Admin', ...lookupTag],
    auth: 'staffJwt',
    roles: ['admin'],
    status: 200,
    response: LookupKeyList,
    errors: adminErrors,
  }),

  createLookupKey: defineRoute({
    id: 'createLookupKey',
    method: 'POST',
    path: '/admin/lookup/keys',
    summary: 'Issue a lookup API key for a contact centre (shown once)',
    tags: ['Admin', ...lookupTag],
    auth: 'staffJwt',
    roles: ['admin'],
    body: CreateLookupKeyRequest,
    status: 201,
    response: CreateLookupKeyResponse,
    errors: { ...adminWriteErrors, 409: [ErrorText.idempotencyInProgress], 422: [ErrorText.idempotencyConflict] },
  }),

  revokeLookupKey: defineRoute({
    id: 'revokeLookupKey',
    method: 'DELETE',
    path: '/admin/lookup/keys/{keyId}',
    summary: 'Revoke a lookup API key; it stops working at once',
    tags: ['Admin', ...lookupTag],
    auth: 'staffJwt',
    roles: ['admin'],
    params: z.object({ keyId: IdParam }),
    status: 200,
    response: LookupKeyResponse,
    errors: { ...adminErrors, 404: [ErrorText.notFound] },
  }),

  createLookupCase: defineRoute({
    id: 'createLookupCase',
    method: 'POST',
    path: '/admin/lookup/cases',
    summary: 'Create a case for a new or existing patient (sandbox), so lookups can find it',
    tags: ['Admin', 'Sandbox', ...lookupTag],
    auth: 'staffJwt',
    roles: ['admin'],
    body: CreateLookupCaseRequest,
    status: 201,
    response: LookupCaseRecord,
    errors: {
      ...adminWriteErrors,
      400: [ErrorText.invalidBody, ErrorText.malformedJson, ErrorText.invalidPhone],
      404: [ErrorText.notFound],
      409: [ErrorText.idempotencyInProgress],
      422: [ErrorText.idempotencyConflict],
    },
  }),
} as const;
