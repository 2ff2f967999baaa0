import { constants, publicEncrypt, type KeyObject } from 'node:crypto';
import { hashPhone, type InboundLead } from '@careos/contract';

/** A plain-phone lead in the seed's shape, with a unique conversation id and phone per index. */
export function plainLead(i: number, platform: string) {
  return {
    source_platform: platform,
    source_conversation_id: `bench-${process.pid}-${i}`,
    phone: `+1415${String(5_000_000 + (i % 4_000_000)).padStart(7, '0')}`,
    user_name: 'Bench User',
    user_language: 'en',
    user_location_country: 'US',
    category: 'healthcare',
    subcategory: 'caregiver_hiring',
    original_message: 'I need a caregiver for my mom',
    ai_extracted_details: { urgency: 'medium', person_mentioned: 'mom', service_type: 'caregiver' },
    user_consent: true as const,
    consent_timestamp: '2025-01-08T12:00:00Z',
    lead_value_agreed: 15,
  };
}

/** The same lead encrypted and hashed, ready to send as is. */
export function encryptedLead(i: number, platform: string, publicKey: KeyObject, salt: string): InboundLead {
  const { phone, ...rest } = plainLead(i, platform);
  const sealed = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(phone));
  return { ...rest, user_phone_hash: hashPhone(phone, salt), user_phone_encrypted: sealed.toString('base64') };
}
