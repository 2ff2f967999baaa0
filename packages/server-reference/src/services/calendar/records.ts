import type { CalendarIntegration, CalendarProvider } from '@careos/contract';
import { calendarIntegrations } from '../../db/schema/index.js';
import type { FieldCipher } from '../../crypto/field-cipher.js';

/** A stored integration row. */
export type IntegrationRow = typeof calendarIntegrations.$inferSelect;

/** The tokens sealed together in `tokens_enc`. */
export interface StoredTokens {
  access_token: string;
  refresh_token: string;
}

/** Seals the tokens for `calendar_integrations.tokens_enc`. */
export function sealTokens(cipher: FieldCipher, tokens: StoredTokens): string {
  return cipher.sealJson(calendarIntegrations.tokensEnc, tokens);
}

/** Opens `tokens_enc`. */
export function openTokens(cipher: FieldCipher, row: IntegrationRow): StoredTokens {
  return cipher.openJson<StoredTokens>(calendarIntegrations.tokensEnc, row.tokensEnc);
}

/** A row as the API shows it: no token, ever. */
export function integrationDto(row: IntegrationRow): CalendarIntegration {
  return {
    provider: row.provider as CalendarProvider,
    status: row.status === 'needs_reauth' ? 'needs_reauth' : 'connected',
    scopes: row.scopes.split(' ').filter(Boolean),
    connected_at: row.connectedAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
