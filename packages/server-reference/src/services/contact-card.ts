import { ErrorCode, ErrorText, tryNormalizePhone, type Contact, type NormalizePhoneOptions } from '@careos/contract';
import { normaliseEmail } from '../crypto/blind-index.js';
import { users } from '../db/schema/index.js';
import { DomainError } from '../domain/errors.js';
import type { FieldCrypto } from './field-crypto.js';
import type { UserProfile } from './lead-write.js';

type UserRow = typeof users.$inferSelect;

/** A contact's card in the form it is stored: E.164 phone, lower-cased email. */
export interface ContactCard {
  name: string | null;
  phone: string | null;
  email: string | null;
  notes: string | null;
}

/** The columns a card is stored in: sealed once, plus the blind indexes search uses. */
export interface SealedCard {
  profileEnc: string;
  phoneBidx: string | null;
  emailBidx: string | null;
  nameTokens: string[];
}

/** A phone as entered, in E.164, or a 400 naming the field (the value itself is never echoed). */
export function contactPhone(input: string, defaultCountry: NormalizePhoneOptions['defaultCountry'], path = 'phone'): string {
  const e164 = tryNormalizePhone(input, { defaultCountry });
  if (e164 === null) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.invalidPhone, {
      message: 'Give the phone in E.164 (+14155550100) or in the national format of the server’s default country',
      details: [{ path, message: 'Not a valid phone number' }],
    });
  }
  return e164;
}

/** Normalises an email the way it is compared and searched. */
export function contactEmail(input: string | null): string | null {
  return input === null ? null : normaliseEmail(input);
}

/** Seals a card and computes its blind indexes. */
export function sealCard(card: ContactCard, phi: FieldCrypto): SealedCard {
  const profile: UserProfile = { phone: card.phone, name: card.name, email: card.email, notes: card.notes };
  return {
    profileEnc: phi.cipher.sealJson(users.profileEnc, profile),
    phoneBidx: phi.blind.phoneOrNull(card.phone),
    emailBidx: card.email === null ? null : phi.blind.email(card.email),
    nameTokens: phi.blind.nameTokens(card.name),
  };
}

/** Opens a stored card (a lead-made user's has no email or notes). */
export function openCard(row: Pick<UserRow, 'profileEnc'>, phi: FieldCrypto): ContactCard {
  const profile = phi.cipher.openJson<UserProfile>(users.profileEnc, row.profileEnc!);
  return { name: profile.name, phone: profile.phone, email: profile.email ?? null, notes: profile.notes ?? null };
}

/** A stored user as the contacts API shows it, its card decrypted. */
export function contactDto(row: UserRow, card: ContactCard): Contact {
  return {
    id: row.id,
    name: card.name,
    phone: card.phone,
    email: card.email,
    notes: card.notes,
    language: row.language,
    source: row.source,
    automation_paused: row.automationPaused,
    created_at: row.createdAt.toISOString(),
    updated_at: (row.updatedAt ?? row.createdAt).toISOString(),
  };
}

/** The 409 for a phone that already belongs to a contact, naming it. */
export function contactExists(existingId: string): DomainError {
  return new DomainError(ErrorCode.CONTACT_EXISTS, ErrorText.contactExists, {
    message: `The phone belongs to contact ${existingId}; update that contact instead`,
    details: [{ path: 'phone', message: `Belongs to ${existingId}` }],
  });
}
