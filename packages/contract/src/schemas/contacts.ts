import { z } from 'zod';
import { ListQuery, NextCursor, Timestamp, prefixedId } from '../common.js';

/** A contact's id: contacts are the people CareOS serves, the same records leads refer to. */
export const ContactId = prefixedId('user');

const Name = z.string().trim().min(1).max(200).describe('Full name, as the person gives it');
/** As entered (`+1 415 555 0100`, `(415) 555-0100`, `0039 06…`); stored and returned in E.164. */
const PhoneInput = z.string().trim().min(1).max(64).describe('Phone number in any common format; national numbers use the server’s default country');
const Email = z.email().max(254).describe('Email address');
const Notes = z.string().max(4000).describe('Free-text notes for the care team (stored encrypted)');
const Language = z.string().regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'Must be a language tag such as en or es-MX').describe('Language tag; the welcome SMS is written in it');

/** A person in care operations: a partner's referred lead or someone staff added. */
export const Contact = z
  .object({
    id: ContactId,
    name: z.string().nullable().describe('Null only for a partner lead that came without a name'),
    phone: z.string().nullable().describe('E.164'),
    email: z.string().nullable(),
    notes: z.string().nullable(),
    language: z.string(),
    source: z.string().describe('`manual` when staff created the contact, `<platform>_referral` when a partner referred the person'),
    automation_paused: z.boolean().describe('When true, no automated message (welcome, booking confirmation or reminder) is sent to the contact; a staff reply sets it, an admin clears it'),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'Contact' });

/** A parsed contact. */
export type Contact = z.infer<typeof Contact>;

/** Body of `POST /contacts`: a name and at least one of phone or email. */
export const CreateContactRequest = z
  .object({
    name: Name,
    phone: PhoneInput.optional(),
    email: Email.optional(),
    notes: Notes.optional(),
    language: Language.default('en'),
  })
  .refine((body) => body.phone !== undefined || body.email !== undefined, { message: 'Give a phone or an email (or both)', path: ['phone'] })
  .meta({ id: 'CreateContactRequest' });

/** Body of `PATCH /contacts/{id}`: the fields to change; `null` clears phone, email or notes. */
export const UpdateContactRequest = z
  .object({
    name: Name.optional(),
    phone: PhoneInput.nullable().optional(),
    email: Email.nullable().optional(),
    notes: Notes.nullable().optional(),
    language: Language.optional(),
    automation_paused: z
      .literal(true)
      .optional()
      .describe('true pauses automated messages to the contact (as a staff reply does); resuming is POST /contacts/{id}/resume-automation, for admins'),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), { message: 'Give at least one field to change' })
  .meta({ id: 'UpdateContactRequest' });

/** Query of `GET /contacts`: filters combine with AND. */
export const ContactListQuery = ListQuery.extend({
  name: z.string().trim().min(1).max(200).optional().describe('Contacts whose name has every word given (whole words, any order, case and accents ignored)'),
  email: z.string().trim().min(1).max(254).optional().describe('Exact email address (case ignored)'),
  phone: z.string().trim().min(1).max(64).optional().describe('Phone number in any common format'),
  source: z.string().min(1).max(64).optional().describe('`manual` or `<platform>_referral`'),
});

/** One contact. */
export const ContactResponse = z.object({ contact: Contact }).meta({ id: 'ContactResponse' });

/** Answer of `POST /contacts`: the contact and the welcome SMS queued for it. */
export const CreateContactResponse = z
  .object({
    contact: Contact,
    welcome_message_id: prefixedId('msg').nullable().describe('The welcome SMS queued for the contact’s phone; null without a phone'),
  })
  .meta({ id: 'CreateContactResponse' });

/** A page of contacts, newest first. */
export const ContactList = z.object({ contacts: z.array(Contact), next_cursor: NextCursor }).meta({ id: 'ContactList' });

/** Answer of `DELETE /contacts/{id}`. */
export const DeleteContactResponse = z
  .object({ id: ContactId, deleted: z.literal(true) })
  .meta({ id: 'DeleteContactResponse' });
