import { index, jsonb, pgTable, real, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { encrypted, legacyPlaintext, ts } from './columns.js';

/** People using the relationship programme (the seed's "users"). */
export const clients = pgTable('clients', {
  id: text('id').primaryKey(),
  firstNameEnc: encrypted('first_name_enc'),
  lastNameEnc: encrypted('last_name_enc'),
  emailEnc: encrypted('email_enc'),
  createdAt: ts('created_at').notNull(),
    /** @deprecated Plaintext before field encryption; emptied at start. */
  firstName: legacyPlaintext('first_name'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
  lastName: legacyPlaintext('last_name'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
  email: legacyPlaintext('email'),
});

/**
 * A client's consent to one therapist and its permission level (BASIC, STANDARD, FULL).
 * Consent is in force while `consent_granted_at` is set and `consent_revoked_at` is not.
 */
export const clientLinks = pgTable(
  'client_links',
  {
    id: text('id').primaryKey(),
    therapistId: text('therapist_id').notNull(),
    clientId: text('client_id').notNull(),
    permissionLevel: text('permission_level').notNull(),
    consentGrantedAt: ts('consent_granted_at'),
    consentRevokedAt: ts('consent_revoked_at'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('client_links_therapist_client_key').on(t.therapistId, t.clientId), index('client_links_client_idx').on(t.clientId)],
);

/** Two clients in the programme together. */
export const couples = pgTable(
  'couples',
  {
    id: text('id').primaryKey(),
    partner1Id: text('partner1_id').notNull(),
    partner2Id: text('partner2_id').notNull(),
    /** `active`, `paused` or `ended`. */
    status: text('status').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('couples_partner1_idx').on(t.partner1Id), index('couples_partner2_idx').on(t.partner2Id)],
);

/** The couple's profile analysis (one per couple). */
export const coupleProfiles = pgTable('couple_profiles', {
  coupleId: text('couple_id').primaryKey(),
  attachmentDynamic: jsonb('attachment_dynamic').$type<Record<string, unknown>>().notNull(),
  communicationStyle: jsonb('communication_style').$type<Record<string, unknown>>().notNull(),
  strengths: jsonb('strengths').$type<unknown[]>().notNull(),
  growthEdges: jsonb('growth_edges').$type<unknown[]>().notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** Compatibility matchups computed for a couple. */
export const matchups = pgTable(
  'matchups',
  {
    id: text('id').primaryKey(),
    coupleId: text('couple_id').notNull(),
    score: real('score').notNull(),
    alignments: jsonb('alignments').$type<Record<string, unknown>>().notNull(),
    generatedAt: ts('generated_at').notNull(),
  },
  (t) => [index('matchups_couple_idx').on(t.coupleId)],
);
