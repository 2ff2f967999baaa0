import { z } from 'zod';
import { IdParam } from '../common.js';
import { ErrorText } from '../errors.js';
import { CommsList, CommsListQuery, CommsStatusResponse, SendBulkCommsRequest, SendBulkCommsResponse, SendCommsRequest, SendCommsResponse } from '../schemas/comms.js';
import { defineRoute } from '../route.js';
import { adminErrors, adminWriteErrors, listErrors } from './shared.js';

const tags = ['Communications'] as const;

/**
 * Communications (the seed's "Send SMS / Send Email to Client"): SMS and email to clients
 * through the one outbox every message goes through. Each send is queued with its HIPAA audit
 * row (`SMS_SENT` / `EMAIL_SENT`) in one transaction and handed to the provider after commit.
 * Staff send and read, like replies (the CareOps role matrix: staff "can reply to messages").
 */
export const commsRoutes = {
  sendComms: defineRoute({
    id: 'sendComms',
    method: 'POST',
    path: '/comms',
    summary: 'Send an SMS or email to a client (queued, then sent by the outbox)',
    description:
      'Checks: the client exists and has a phone (SMS) or email (`NO_PHONE`, `NO_EMAIL`); the number has not opted out (`OPTED_OUT`) ' +
      'or the address is not suppressed (`SUPPRESSED`); an SMS is at most 10 segments (`TOO_MANY_SEGMENTS`); a PHI ' +
      'message (`contains_phi`, or a template marked PHI) goes only through a provider whose BAA flag is on ' +
      '(`TWILIO_HIPAA_ENABLED`, `SENDGRID_HIPAA_ENABLED`), otherwise 422 `BAA_REQUIRED` — or, with ' +
      '`on_baa_missing: "generic_notice"`, a generic secure-message notice goes instead. Refusals are audited and ' +
      'queue nothing. A provider failure never fails this call: the message ends `failed`.',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    body: SendCommsRequest,
    status: 201,
    response: SendCommsResponse,
    errors: {
      ...adminWriteErrors,
      404: [ErrorText.notFound],
      409: [ErrorText.noPhone, ErrorText.noEmail, ErrorText.optedOut, ErrorText.suppressed, ErrorText.idempotencyInProgress],
      422: [ErrorText.baaRequired, ErrorText.tooManySegments, ErrorText.unknownTemplate, ErrorText.idempotencyConflict],
    },
  }),

  sendBulkComms: defineRoute({
    id: 'sendBulkComms',
    method: 'POST',
    path: '/comms/bulk',
    summary: 'Send one SMS or email to many clients; one result per recipient',
    description:
      'Up to 5,000 recipients, each checked like a single send. One bad recipient never aborts the batch: it gets ' +
      '`invalid` (unknown client, no phone or email), `opted_out`, `suppressed` or `failed` with a code and reason, ' +
      'and the rest are queued together. Emails of one batch are handed to the provider together (SendGrid: up to ' +
      '1,000 personalizations per call). Content-wide problems (PHI without a BAA, too many segments, an unknown ' +
      'template) refuse the whole call as for a single send.',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    body: SendBulkCommsRequest,
    // 5,000 recipients with template data do not fit the 100 KB default.
    bodyLimitBytes: 2 * 1024 * 1024,
    status: 201,
    response: SendBulkCommsResponse,
    errors: {
      ...adminWriteErrors,
      409: [ErrorText.idempotencyInProgress],
      422: [ErrorText.baaRequired, ErrorText.tooManySegments, ErrorText.unknownTemplate, ErrorText.idempotencyConflict],
    },
  }),

  getComms: defineRoute({
    id: 'getComms',
    method: 'GET',
    path: '/comms/{id}',
    summary: 'Status of one communication (the seed’s getSMSStatus), by its id or the provider’s (Twilio SM… sid)',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    params: z.object({ id: IdParam }),
    status: 200,
    response: CommsStatusResponse,
    errors: { ...adminErrors, 404: [ErrorText.notFound] },
  }),

  listComms: defineRoute({
    id: 'listComms',
    method: 'GET',
    path: '/comms',
    summary: 'A client’s communications, newest first',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    query: CommsListQuery,
    status: 200,
    response: CommsList,
    errors: { ...listErrors, ...adminErrors, 404: [ErrorText.notFound] },
  }),
} as const;
