import { z } from 'zod';
import { ListQuery } from '../common.js';
import { ErrorText } from '../errors.js';
import { LeadList } from '../schemas/leads.js';
import { MessageList, MessageListQuery } from '../schemas/messages.js';
import {
  CreateApiKeyRequest,
  CreateApiKeyResponse,
  CreatePartnerRequest,
  CreatePartnerResponse,
  PartnerList,
  PlatformName,
} from '../schemas/partners.js';
import { PayoutList, ProcessPaymentsRequest, ProcessPaymentsResponse } from '../schemas/payments.js';
import { defineRoute } from '../route.js';
import { adminErrors, listErrors } from './shared.js';

/** The admin console: partners, keys, leads, messages, payouts. */
export const adminRoutes = {
  listPartners: defineRoute({
    id: 'listPartners',
    method: 'GET',
    path: '/admin/partners',
    summary: 'All lead partners and their key metadata',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    status: 200,
    response: PartnerList,
    errors: adminErrors,
  }),

  createPartner: defineRoute({
    id: 'createPartner',
    method: 'POST',
    path: '/admin/partners',
    summary: 'Create a lead partner with its first API key and phone-hash salt',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    body: CreatePartnerRequest,
    status: 201,
    response: CreatePartnerResponse,
    errors: { 400: [ErrorText.invalidBody], ...adminErrors, 409: [ErrorText.partnerExists] },
  }),

  createPartnerKey: defineRoute({
    id: 'createPartnerKey',
    method: 'POST',
    path: '/admin/partners/{platform}/keys',
    summary: 'Issue a new API key for a partner (key rotation)',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    params: z.object({ platform: PlatformName }),
    body: CreateApiKeyRequest,
    status: 201,
    response: CreateApiKeyResponse,
    errors: { 400: [ErrorText.invalidBody], ...adminErrors, 404: [ErrorText.notFound] },
  }),

  listLeads: defineRoute({
    id: 'listLeads',
    method: 'GET',
    path: '/admin/leads',
    summary: 'All leads, newest first',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    query: ListQuery.extend({ partner: z.string().max(64).optional() }),
    status: 200,
    response: LeadList,
    errors: { ...listErrors, ...adminErrors },
  }),

  listMessages: defineRoute({
    id: 'listMessages',
    method: 'GET',
    path: '/admin/messages',
    summary: 'Outbound SMS and email, newest first',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    query: MessageListQuery,
    status: 200,
    response: MessageList,
    errors: { ...listErrors, ...adminErrors },
  }),

  processPayments: defineRoute({
    id: 'processPayments',
    method: 'POST',
    path: '/admin/payments/process',
    summary: 'Pay partners what is due (the monthly job, on demand)',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    body: ProcessPaymentsRequest,
    status: 200,
    response: ProcessPaymentsResponse,
    errors: { 400: [ErrorText.invalidBody], ...adminErrors },
  }),

  listPayouts: defineRoute({
    id: 'listPayouts',
    method: 'GET',
    path: '/admin/payouts',
    summary: 'Payouts made to partners, newest first',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    query: ListQuery.extend({ partner: z.string().max(64).optional() }),
    status: 200,
    response: PayoutList,
    errors: { ...listErrors, ...adminErrors },
  }),
} as const;
