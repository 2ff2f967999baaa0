import { z } from 'zod';
import { IdParam } from '../common.js';
import { ErrorText } from '../errors.js';
import { ConversationListQuery, ConversationQuery, CreateMessageRequest, CreateMessageResponse, MessageList, ResumeAutomationResponse } from '../schemas/messages.js';
import { defineRoute } from '../route.js';
import { adminErrors, adminWriteErrors, listErrors } from './shared.js';

const tags = ['Messages'] as const;

/**
 * Messages (care operations): the conversation with a contact, both directions. A staff reply
 * goes out through the SMS outbox and stops automation for the contact — no welcome,
 * confirmation or reminder is sent to them afterwards, including one already queued — until an
 * admin resumes it. Staff reply and read; admins also resume.
 */
export const messageRoutes = {
  createMessage: defineRoute({
    id: 'createMessage',
    method: 'POST',
    path: '/messages',
    summary: 'Send a staff reply to a contact (pausing their automation), or record a message they sent',
    description:
      'An `outbound` message (the default) is a staff reply: in one transaction it is queued, the contact’s ' +
      '`automation_paused` is set and every automated message still queued for the contact is cancelled; it is sent ' +
      'after commit. A provider failure never fails this call: the message is marked `failed` and an `sms_failed` ' +
      'alert is raised. An `inbound` message records what the contact wrote (status `received`); nothing is sent and ' +
      'automation is untouched. A contact without a phone number cannot be messaged (409 `NO_PHONE`).',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    body: CreateMessageRequest,
    status: 201,
    response: CreateMessageResponse,
    errors: {
      ...adminWriteErrors,
      404: [ErrorText.notFound],
      409: [ErrorText.noPhone, ErrorText.idempotencyInProgress],
      422: [ErrorText.idempotencyConflict],
    },
  }),

  listConversationMessages: defineRoute({
    id: 'listConversationMessages',
    method: 'GET',
    path: '/messages',
    summary: 'Messages of every conversation, newest first; filter by contact, direction, status, kind',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    query: ConversationListQuery,
    status: 200,
    response: MessageList,
    errors: { ...listErrors, ...adminErrors },
  }),

  getConversation: defineRoute({
    id: 'getConversation',
    method: 'GET',
    path: '/messages/{contact_id}',
    summary: 'The conversation with one contact, newest first',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    params: z.object({ contact_id: IdParam }),
    query: ConversationQuery,
    status: 200,
    response: MessageList,
    errors: { ...listErrors, ...adminErrors, 404: [ErrorText.notFound] },
  }),

  resumeAutomation: defineRoute({
    id: 'resumeAutomation',
    method: 'POST',
    path: '/contacts/{id}/resume-automation',
    summary: 'Resume automated messages to a contact (admin only)',
    description:
      'Clears the pause a staff reply set: automated messages queued from now on are sent. Messages cancelled ' +
      'while it was paused stay cancelled. Resuming a contact whose automation is not paused changes nothing.',
    tags: ['Contacts'],
    auth: 'staffJwt',
    roles: ['admin'],
    params: z.object({ id: IdParam }),
    status: 200,
    response: ResumeAutomationResponse,
    errors: { ...adminErrors, 404: [ErrorText.notFound], 409: [ErrorText.idempotencyInProgress], 422: [ErrorText.idempotencyConflict] },
  }),
} as const;
