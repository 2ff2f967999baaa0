import { z } from 'zod';
import { CARE_CATEGORIES } from '../categories.js';
import { NextCursor, Timestamp, UsdAmount, prefixedId } from '../common.js';
import { ErrorText } from '../errors.js';
import { SEED_EXAMPLE_LEAD } from '../examples.js';
import { PartnerPayment } from './payments.js';

const text = (max: number) => z.string().trim().min(1).max(max);

/** What the partner's AI extracted from the conversation (seed `ai_extracted_details`). */
export const AiExtractedDetails = z
  .looseObject({
    urgency: z.string().max(200).optional().describe("'low', 'medium', 'high'"),
    person_mentioned: z.string().max(200).optional().describe("'mom', 'dad', etc."),
    service_type: z.string().max(200).optional().describe("'caregiver', 'doctor', etc."),
    condition_mentioned: z.string().max(500).optional().describe('Medical condition if mentioned'),
  })
  .meta({ id: 'AiExtractedDetails' });

/**
 * The lead a partner sends (`InboundLead` in the seed, field for field). The phone travels
 * only as RSA-OAEP ciphertext plus a salted SHA-256 hash; extra fields are ignored.
 */
export const InboundLead = z
  .object({
    source_platform: text(64).describe("Partner platform, e.g. 'businessos'; must equal X-Platform"),
    source_conversation_id: text(255).describe('Unique id of the conversation on the partner side; the idempotency key of the lead'),
    user_phone_hash: text(128).describe('hex(SHA-256(E.164 phone + PHONE_HASH_SALT))'),
    user_phone_encrypted: text(2048).describe('base64 RSA-OAEP (SHA-256) ciphertext of the phone number'),
    user_name: z.string().trim().max(200).optional().describe("User's name"),
    user_language: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/, 'Must be an ISO language code such as en or es-MX')
      .describe("ISO language code: 'en', 'es', 'fr', ..."),
    user_location_state: z.string().trim().max(64).optional().describe('US state code or equivalent'),
    user_location_country: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, 'Must be an ISO 3166-1 alpha-2 country code such as US')
      .optional()
      .describe("ISO country code: 'US', 'CA', ..."),
    user_location_city: z.string().trim().max(128).optional(),
    category: text(64).describe("'healthcare', 'caregiver', ..."),
    subcategory: z.string().trim().max(64).optional().describe("'caregiver_hiring', 'telehealth', ..."),
    original_message: text(10_000).describe('Original user message'),
    ai_extracted_details: AiExtractedDetails,
    user_consent: z.literal(true, { error: ErrorText.consentRequired }).describe('Must be true'),
    consent_timestamp: z.iso
      .datetime({ offset: true, error: ErrorText.consentRequired })
      .describe('ISO 8601 time the user consented; an invalid value is reported as a missing consent'),
    lead_value_agreed: UsdAmount.describe('Payment amount in USD'),
  })
  .meta({ id: 'InboundLead', examples: [SEED_EXAMPLE_LEAD] });

/** A parsed inbound lead. */
export type InboundLead = z.infer<typeof InboundLead>;

/** Seed success response of `POST /api/leads/ingest`. */
export const IngestLeadResponse = z
  .object({
    success: z.literal(true),
    careos_lead_id: prefixedId('lead'),
    careos_user_id: prefixedId('user'),
    careos_will_contact: z.boolean(),
    is_new_user: z.boolean(),
  })
  .meta({ id: 'IngestLeadResponse' });

/** Parsed ingest response. */
export type IngestLeadResponse = z.infer<typeof IngestLeadResponse>;

/** Lifecycle of a lead inside CareOS. */
export const LeadStatus = z.enum(['new', 'contacted', 'converted', 'closed']).meta({ id: 'LeadStatus' });

/** A stored lead as its partner (and admins) see it. The phone never leaves the server. */
export const Lead = z
  .object({
    id: prefixedId('lead'),
    status: LeadStatus,
    source_platform: z.string(),
    source_conversation_id: z.string(),
    careos_user_id: prefixedId('user'),
    is_new_user: z.boolean(),
    user_name: z.string().nullable(),
    user_language: z.string(),
    user_location_state: z.string().nullable(),
    user_location_country: z.string().nullable(),
    user_location_city: z.string().nullable(),
    category: z.enum(CARE_CATEGORIES).describe('CareOS category after mapping'),
    category_raw: z.string().describe('category as the partner sent it'),
    subcategory: z.string().nullable(),
    original_message: z.string(),
    ai_extracted_details: z.record(z.string(), z.unknown()),
    consent_timestamp: Timestamp,
    lead_value_agreed: z.number(),
    payment: PartnerPayment.nullable(),
    created_at: Timestamp,
  })
  .meta({ id: 'Lead' });

/** A parsed lead. */
export type Lead = z.infer<typeof Lead>;

/** A page of leads. */
export const LeadList = z.object({ leads: z.array(Lead), next_cursor: NextCursor }).meta({ id: 'LeadList' });
