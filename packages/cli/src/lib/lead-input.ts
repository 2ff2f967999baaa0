import type { LeadIngestParams } from '@careos/sdk';
import { CliError, ExitCode } from './exit-codes.js';

/** `careos lead send` options that describe one lead. */
export interface LeadFlags {
  conversationId?: string;
  phone?: string;
  name?: string;
  language: string;
  country?: string;
  state?: string;
  city?: string;
  category?: string;
  subcategory?: string;
  message?: string;
  urgency?: string;
  person?: string;
  serviceType?: string;
  condition?: string;
  consent?: boolean;
  consentTimestamp?: string;
  value?: string;
}

/** Drops `undefined` entries, so optional seed fields are absent rather than null. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Builds a lead from flags. `--consent` must be given explicitly: CareOS only accepts leads the
 * user agreed to share. `conversationId` is `--conversation-id`, else the id the caller derived
 * from the lead's content (`derivedConversationId` in `lead-id.ts`).
 */
export function leadFromFlags(flags: LeadFlags & { conversationId: string }, now: Date): LeadIngestParams {
  if (flags.consent !== true) {
    throw new CliError('The lead needs the user\'s consent: pass --consent once the user agreed to be contacted by CareOS', ExitCode.USAGE);
  }
  const value = Number(flags.value);
  if (flags.value === undefined || !Number.isFinite(value)) throw new CliError('--value must be the agreed lead value in USD, e.g. 15', ExitCode.USAGE);
  return defined({
    source_conversation_id: flags.conversationId,
    phone: flags.phone as string,
    user_name: flags.name,
    user_language: flags.language,
    user_location_country: flags.country,
    user_location_state: flags.state,
    user_location_city: flags.city,
    category: flags.category as string,
    subcategory: flags.subcategory,
    original_message: flags.message as string,
    ai_extracted_details: defined({ urgency: flags.urgency, person_mentioned: flags.person, service_type: flags.serviceType, condition_mentioned: flags.condition }),
    user_consent: true as const,
    consent_timestamp: flags.consentTimestamp ?? now.toISOString(),
    lead_value_agreed: value,
  });
}

/** Parses one lead object from JSON text; `where` names the file (and line) in errors. */
export function parseLead(text: string, where: string): LeadIngestParams {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${where}: not valid JSON (${(error as Error).message})`, ExitCode.USAGE);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CliError(`${where}: expected a JSON object with the lead's fields`, ExitCode.USAGE);
  return value as LeadIngestParams;
}

/** True for input holding one lead per line: a `.jsonl` / `.ndjson` file, or `-` (stdin). */
export function isBulkFile(path: string): boolean {
  return path === '-' || /\.(jsonl|ndjson)$/i.test(path);
}

/** The conversation id of a lead, for progress lines and summaries. */
export function conversationId(lead: unknown): string {
  const id = (lead as { source_conversation_id?: unknown } | null)?.source_conversation_id;
  return typeof id === 'string' ? id : '(no source_conversation_id)';
}
