import { ErrorCode } from '@careos/contract';
import { DomainError } from '../domain/errors.js';
import type { ContactService, CreateContactInput } from './contacts.js';

/** Contacts staff "added" in the demo (reserved-for-fiction 555 numbers), beside the seed's lead. */
export const DEMO_CONTACTS: readonly CreateContactInput[] = [
  { name: 'Maria Lopez', phone: '+1 415 555 0142', email: 'maria.lopez@example.com', notes: 'Prefers texts after 5pm', language: 'es' },
  { name: 'Arthur Bennett', phone: '(415) 555-0178', language: 'en' },
  { name: 'Chloé Martin', phone: '+33 6 39 98 00 42', email: 'chloe.martin@example.com', language: 'fr' },
];

/**
 * Adds the demo contacts; running it again adds nothing (each has a phone, and a phone that is
 * already a contact's is refused, so neither a second contact nor a second welcome appears).
 */
export async function seedDemoContacts(contacts: ContactService): Promise<void> {
  for (const contact of DEMO_CONTACTS) {
    try {
      await contacts.create(contact);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === ErrorCode.CONTACT_EXISTS)) throw error;
    }
  }
}
