import { z } from 'zod';
import { Timestamp } from '../../common.js';
import { KeyEnvironment } from '../partners.js';
import { TherapistAlert, TherapistAlertSeverity, TherapistAlertType } from './alerts.js';
import { CoupleStatus, IntegrationId, PermissionLevel } from './common.js';

/**
 * Admin and sandbox schemas for the integration API (ours, not the seed's): they follow the
 * admin API's snake_case, and embed the seed's shapes where they return them.
 */

/** An allowed source address: an exact IPv4/IPv6 address or a CIDR range. */
export const IpRule = z
  .union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()])
  .meta({ id: 'IpRule', description: 'IPv4/IPv6 address or CIDR range, e.g. 203.0.113.7 or 10.0.0.0/8' });

const IpAllowlist = z.array(IpRule).max(100).describe('Source addresses allowed to call the API; empty allows any');
const RateLimitPerMinute = z
  .number()
  .int()
  .min(1)
  .max(1_000_000)
  .nullable()
  .describe('Requests per minute per API key; null uses the server default (100)');

/** An integration API key as stored (the key and its secret are shown once, at creation). */
export const IntegrationKeyInfo = z
  .object({ id: IntegrationId, prefix: z.string(), created_at: Timestamp, revoked_at: Timestamp.nullable() })
  .meta({ id: 'IntegrationKeyInfo' });

/** An integration partner such as SuperTool. */
export const IntegrationPartner = z
  .object({
    id: IntegrationId,
    name: z.string(),
    status: z.enum(['active', 'suspended']),
    ip_allowlist: z.array(z.string()),
    rate_limit_per_minute: z.number().int().nullable(),
    api_keys: z.array(IntegrationKeyInfo),
    created_at: Timestamp,
  })
  .meta({ id: 'IntegrationPartner' });
/** A parsed integration partner. */
export type IntegrationPartner = z.infer<typeof IntegrationPartner>;

/** All integration partners. */
export const IntegrationPartnerList = z.object({ partners: z.array(IntegrationPartner) }).meta({ id: 'IntegrationPartnerList' });

/** Body of `POST /admin/integration/partners`. */
export const CreateIntegrationPartnerRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    environment: KeyEnvironment.default('live'),
    ip_allowlist: IpAllowlist.default([]),
    rate_limit_per_minute: RateLimitPerMinute.default(null),
  })
  .meta({ id: 'CreateIntegrationPartnerRequest' });

/** A new partner with its first key and secret: the only time the secret is shown. */
export const CreateIntegrationPartnerResponse = z
  .object({ partner: IntegrationPartner, api_key: z.string(), api_secret: z.string() })
  .meta({ id: 'CreateIntegrationPartnerResponse' });

/** Body of `PATCH /admin/integration/partners/{partnerId}`: suspend/reactivate, allowlist, custom limit. */
export const UpdateIntegrationPartnerRequest = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    status: z.enum(['active', 'suspended']).optional().describe('suspended: every token and key of the partner stops working at once'),
    ip_allowlist: IpAllowlist.optional(),
    rate_limit_per_minute: RateLimitPerMinute.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Give at least one field to change')
  .meta({ id: 'UpdateIntegrationPartnerRequest' });

/** `{ partner }`. */
export const IntegrationPartnerResponse = z.object({ partner: IntegrationPartner }).meta({ id: 'IntegrationPartnerResponse' });

/** Body of `POST /admin/integration/partners/{partnerId}/keys`. */
export const CreateIntegrationKeyRequest = z
  .object({
    environment: KeyEnvironment.default('live'),
    revoke_existing: z.boolean().default(false).describe('Revoke every other key of the partner'),
  })
  .meta({ id: 'CreateIntegrationKeyRequest' });

/** A new key and secret, shown once. */
export const CreateIntegrationKeyResponse = z
  .object({ api_key: z.string(), api_secret: z.string(), key: IntegrationKeyInfo })
  .meta({ id: 'CreateIntegrationKeyResponse' });

/** A therapist who can be acted for through the integration API. */
export const Therapist = z
  .object({ id: IntegrationId, first_name: z.string(), last_name: z.string(), email: z.string(), active: z.boolean(), created_at: Timestamp })
  .meta({ id: 'Therapist' });

/** A parsed Therapist. */
export type Therapist = z.infer<typeof Therapist>;

/** Body of `POST /admin/integration/therapists`. */
export const CreateTherapistRequest = z
  .object({
    first_name: z.string().trim().min(1).max(100),
    last_name: z.string().trim().min(1).max(100),
    email: z.string().trim().toLowerCase().pipe(z.email()),
    active: z.boolean().default(true),
  })
  .meta({ id: 'CreateTherapistRequest' });

/** Body of `PATCH /admin/integration/therapists/{therapistId}`. */
export const UpdateTherapistRequest = z
  .object({ active: z.boolean().describe('false: tokens acting for this therapist stop working at once') })
  .meta({ id: 'UpdateTherapistRequest' });

/** `{ therapist }`. */
export const TherapistResponse = z.object({ therapist: Therapist }).meta({ id: 'TherapistResponse' });

/** A client (a person using the relationship programme). */
export const ClientRecord = z
  .object({ id: IntegrationId, first_name: z.string(), last_name: z.string(), email: z.string(), created_at: Timestamp })
  .meta({ id: 'ClientRecord' });

/** A parsed ClientRecord. */
export type ClientRecord = z.infer<typeof ClientRecord>;

/** Body of `POST /admin/integration/clients`. */
export const CreateClientRequest = z
  .object({
    first_name: z.string().trim().min(1).max(100),
    last_name: z.string().trim().min(1).max(100),
    email: z.string().trim().toLowerCase().pipe(z.email()),
  })
  .meta({ id: 'CreateClientRequest' });

/** `{ client }`. */
export const ClientRecordResponse = z.object({ client: ClientRecord }).meta({ id: 'ClientRecordResponse' });

/** A couple of two clients. */
export const CoupleRecord = z
  .object({ id: IntegrationId, partner1_id: IntegrationId, partner2_id: IntegrationId, status: CoupleStatus, created_at: Timestamp })
  .meta({ id: 'CoupleRecord' });

/** A parsed CoupleRecord. */
export type CoupleRecord = z.infer<typeof CoupleRecord>;

/** Body of `POST /admin/integration/couples`. */
export const CreateCoupleRequest = z
  .object({ partner1_id: z.string().min(1).max(128), partner2_id: z.string().min(1).max(128), status: CoupleStatus.default('active') })
  .refine((v) => v.partner1_id !== v.partner2_id, { message: 'The partners must be two different clients', path: ['partner2_id'] })
  .meta({ id: 'CreateCoupleRequest' });

/** `{ couple }`. */
export const CoupleRecordResponse = z.object({ couple: CoupleRecord }).meta({ id: 'CoupleRecordResponse' });

/** A therapist-client link: the client's consent and its permission level. */
export const ClientLink = z
  .object({
    id: IntegrationId,
    therapist_id: IntegrationId,
    client_id: IntegrationId,
    permission_level: PermissionLevel,
    consent_granted_at: Timestamp.nullable(),
    consent_revoked_at: Timestamp.nullable(),
    created_at: Timestamp,
  })
  .meta({ id: 'ClientLink' });

/** A parsed ClientLink. */
export type ClientLink = z.infer<typeof ClientLink>;

/** Body of `POST /admin/integration/links`: links a client to a therapist, consent granted now. */
export const CreateClientLinkRequest = z
  .object({ therapist_id: z.string().min(1).max(128), client_id: z.string().min(1).max(128), permission_level: PermissionLevel })
  .meta({ id: 'CreateClientLinkRequest' });

/**
 * Body of `PATCH /admin/integration/links/{linkId}`: what a client does in the app — change
 * the permission level, revoke consent (queues `consent.revoked`) or grant it again. Takes
 * effect on the very next request.
 */
export const UpdateClientLinkRequest = z
  .object({ permission_level: PermissionLevel.optional(), consent: z.enum(['granted', 'revoked']).optional() })
  .refine((v) => v.permission_level !== undefined || v.consent !== undefined, 'Give permission_level or consent')
  .meta({ id: 'UpdateClientLinkRequest' });

/** `{ link }`. */
export const ClientLinkResponse = z.object({ link: ClientLink }).meta({ id: 'ClientLinkResponse' });

/** Body of `POST /admin/integration/alerts`: raise an alert as the app's detectors would. */
export const CreateTherapistAlertRequest = z
  .object({
    therapist_id: z.string().min(1).max(128),
    client_id: z.string().min(1).max(128),
    alert_type: TherapistAlertType,
    severity: TherapistAlertSeverity,
    message: z.string().trim().min(1).max(2000),
    metadata: z.record(z.string(), z.unknown()).default({}),
  })
  .meta({ id: 'CreateTherapistAlertRequest' });

/** The alert as the therapist will see it, and how many webhook deliveries were queued. */
export const CreateTherapistAlertResponse = z
  .object({ alert: TherapistAlert, webhooks_queued: z.number().int().nonnegative() })
  .meta({ id: 'CreateTherapistAlertResponse' });
