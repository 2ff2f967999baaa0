import { RequestValidationError } from '@careos/sdk';
import { CliError, ExitCode } from './exit-codes.js';

/** The `careos lead send` flag that sets each lead field. */
const FLAG_OF: Readonly<Record<string, string>> = {
  source_conversation_id: '--conversation-id',
  phone: '--phone',
  user_name: '--name',
  user_language: '--language',
  user_location_country: '--country',
  user_location_state: '--state',
  user_location_city: '--city',
  category: '--category',
  subcategory: '--subcategory',
  original_message: '--message',
  'ai_extracted_details.urgency': '--urgency',
  'ai_extracted_details.person_mentioned': '--person',
  'ai_extracted_details.service_type': '--service-type',
  'ai_extracted_details.condition_mentioned': '--condition',
  user_consent: '--consent',
  consent_timestamp: '--consent-timestamp',
  lead_value_agreed: '--value',
};

/** The SDK speaks of its own option; on the command line the country comes from `--country` or the lead's field. */
function cliWords(message: string, from: 'flags' | 'file'): string {
  return message.replace(/with a default country/, from === 'flags' ? 'with --country' : 'with user_location_country');
}

/**
 * Restates the SDK's client-side validation of a lead in the command line's terms: flag names
 * for a lead built from flags (`--country`, not `user_location_country` nor `defaultCountry`),
 * field names for a lead read from a file, each problem said once (`phone: …`, not
 * `phone: phone: …`).
 */
export function leadValidationError(error: RequestValidationError, from: 'flags' | 'file'): CliError {
  const problems = error.details.map((detail) => {
    const name = from === 'flags' ? (FLAG_OF[detail.path] ?? detail.path) : detail.path;
    return name ? `${name}: ${cliWords(detail.message, from)}` : cliWords(detail.message, from);
  });
  return new CliError(`Invalid lead: ${problems.join('; ')}`, ExitCode.USAGE);
}

/**
 * A failure of `careos lead send` for one lead: the SDK's validation error restated in the
 * command line's terms ({@link leadValidationError}), any other error as it is.
 */
export function asLeadError(error: unknown, from: 'flags' | 'file'): unknown {
  return error instanceof RequestValidationError ? leadValidationError(error, from) : error;
}
