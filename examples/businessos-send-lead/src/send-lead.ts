// BusinessOS side of the CareOS integration: once a user says YES to being connected with
// CareOS, send the conversation as a lead. The SDK normalises, encrypts (RSA-OAEP) and hashes
// the phone, retries safely (one Idempotency-Key per lead, and CareOS deduplicates on the
// conversation id), and reads CAREOS_API_URL, CAREOS_API_KEY, CAREOS_PLATFORM,
// CAREOS_PUBLIC_KEY and PHONE_HASH_SALT from the environment (the partner.env CareOS gave you).
import { CareOS } from '@careos/sdk';

/** What BusinessOS knows about a conversation whose user consented. */
export interface ConsentedConversation {
  id: string;
  phone: string;
  name?: string;
  language: string;
  message: string;
  consentedAt: Date;
}

export async function sendLead(conversation: ConsentedConversation, careos = new CareOS()) {
  return careos.leads.ingest({
    source_conversation_id: conversation.id,
    phone: conversation.phone,
    user_name: conversation.name,
    user_language: conversation.language,
    category: 'healthcare',
    subcategory: 'caregiver_hiring',
    original_message: conversation.message,
    ai_extracted_details: { urgency: 'medium', person_mentioned: 'mom', service_type: 'caregiver' },
    user_consent: true,
    consent_timestamp: conversation.consentedAt.toISOString(),
    lead_value_agreed: 15,
  });
}

// `node src/send-lead.ts <conversation-id> <phone>`: send one lead and print CareOS's answer.
if (import.meta.main) {
  const [id = `bizos-${Date.now()}`, phone = '+14155550100'] = process.argv.slice(2);
  const careos = new CareOS();
  try {
    const result = await sendLead(
      { id, phone, name: 'John Doe', language: 'en', message: 'I need a caregiver for my mom', consentedAt: new Date('2025-01-08T12:00:00Z') },
      careos,
    );
    console.log(JSON.stringify(result));
  } finally {
    await careos.close();
  }
}
