import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { InboundLead } from '@careos/contract';

/** A lead that passes the contract's InboundLead schema, already "encrypted". */
export function inboundLead(overrides: Partial<InboundLead> = {}): InboundLead {
  return {
    source_platform: 'businessos',
    source_conversation_id: 'bizos-lead-12345',
    user_phone_hash: 'a'.repeat(64),
    user_phone_encrypted: Buffer.from('ciphertext').toString('base64'),
    user_name: 'John Doe',
    user_language: 'en',
    user_location_country: 'US',
    category: 'healthcare',
    subcategory: 'caregiver_hiring',
    original_message: 'I need help finding a caregiver for my mom',
    ai_extracted_details: { urgency: 'medium', person_mentioned: 'mom' },
    user_consent: true,
    consent_timestamp: '2025-01-08T12:00:00Z',
    lead_value_agreed: 15,
    ...overrides,
  };
}

/** The seed's success response. */
export const ingestResponse = {
  success: true,
  careos_lead_id: 'lead_clx123abc',
  careos_user_id: 'user_clx456def',
  careos_will_contact: true,
  is_new_user: true,
} as const;

/** An RSA key pair like the one CareOS holds (2048 bits, generated once per test file). */
export function rsaKeyPair(): { publicKey: KeyObject; privateKey: KeyObject; publicPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { publicKey, privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Options every test client gets: a fast retry schedule so tests do not sleep. */
export const fastRetries = { retryBaseDelay: 1, retryMaxDelay: 5, maxRetryAfter: 50, env: {} } as const;

/** Partner credentials for tests. */
export const partner = { apiKey: 'businessos_live_testkey123456', platform: 'businessos' } as const;
