/**
 * The lead-ingestion seed's "Example Request", verbatim (its phone fields are placeholders).
 * Demo data, docs and tests build on it so the seed's own values keep working everywhere.
 * (Checked against `InboundLead` in the contract tests rather than with `satisfies`, which
 * would make the schema's own `examples` refer to itself.)
 */
export const SEED_EXAMPLE_LEAD = {
  source_platform: 'businessos',
  source_conversation_id: 'bizos-lead-12345',
  user_phone_hash: 'a1b2c3d4e5f6...',
  user_phone_encrypted: 'base64encryptedphonenumber...',
  user_name: 'John Doe',
  user_language: 'en',
  user_location_state: 'CA',
  user_location_country: 'US',
  user_location_city: 'San Francisco',
  category: 'healthcare',
  subcategory: 'caregiver_hiring',
  original_message: 'I need help finding a caregiver for my mom who has mobility issues',
  ai_extracted_details: {
    urgency: 'medium',
    person_mentioned: 'mom',
    service_type: 'caregiver',
    condition_mentioned: 'mobility issues',
  },
  user_consent: true,
  consent_timestamp: '2025-01-08T12:00:00Z',
  lead_value_agreed: 15.0,
} as const;

/**
 * The body of the seed's "Test the Integration" curl, verbatim. Its ciphertext is a
 * placeholder, so CareOS answers 400 `Failed to decrypt user data`, as the seed documents.
 */
export const SEED_CURL_LEAD = {
  source_platform: 'businessos',
  source_conversation_id: 'test-123',
  user_phone_hash: 'abc123hash',
  user_phone_encrypted: 'base64encryptedphone',
  user_name: 'Test User',
  user_language: 'en',
  category: 'healthcare',
  subcategory: 'caregiver_hiring',
  original_message: 'I need a caregiver for my mom',
  ai_extracted_details: { urgency: 'medium', person_mentioned: 'mom', service_type: 'caregiver' },
  user_consent: true,
  consent_timestamp: '2025-01-08T12:00:00Z',
  lead_value_agreed: 10,
} as const;

/** The seed's sample API key in its curl examples; the reference server's demo data accepts it. */
export const SEED_SAMPLE_API_KEY = 'businessos_live_test123';
