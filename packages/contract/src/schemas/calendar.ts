import { z } from 'zod';
import { Timestamp } from '../common.js';

/** The calendar providers a staff member can connect. */
export const CalendarProvider = z.enum(['google', 'microsoft', 'sandbox']).meta({
  id: 'CalendarProvider',
  description: '`google` (Google Calendar), `microsoft` (Outlook, through Microsoft Graph) or `sandbox` (the reference server\'s own Google-shaped sandbox calendar, for local development)',
});
/** A calendar provider. */
export type CalendarProvider = z.infer<typeof CalendarProvider>;

/** Path parameters naming a provider. */
export const CalendarProviderParams = z.object({ provider: CalendarProvider });

/** Answer of `GET /calendar/{provider}/connect`: where to send the browser (the seed's `{ ok, authUrl }`). */
export const CalendarConnectResponse = z
  .object({
    ok: z.literal(true),
    authUrl: z.url().describe("The provider's consent page (authorization code flow with PKCE); valid for 10 minutes, once"),
    expires_at: Timestamp.describe('When the `state` in `authUrl` stops being accepted by the callback'),
  })
  .meta({ id: 'CalendarConnectResponse' });
/** A connect answer. */
export type CalendarConnectResponse = z.infer<typeof CalendarConnectResponse>;

/**
 * What the provider appends to the redirect URI: `code` and `state` on consent, `error` (and
 * `error_description`) when the user declined. Loose on purpose: the provider, not our client,
 * writes these, and a refusal must reach the page that explains it.
 */
export const CalendarCallbackQuery = z.object({
  state: z.string().min(1).max(512).describe('The single-use state issued by connect'),
  code: z.string().min(1).max(4096).optional().describe('The authorization code (absent when the user declined)'),
  error: z.string().max(256).optional().describe('The provider’s error code, e.g. `access_denied`'),
  error_description: z.string().max(2048).optional(),
  scope: z.string().max(4096).optional(),
  iss: z.string().max(512).optional(),
  session_state: z.string().max(512).optional(),
  authuser: z.string().max(64).optional(),
  prompt: z.string().max(64).optional(),
  hd: z.string().max(256).optional(),
});

/** The small HTML page the callback answers (the browser lands on it). */
export const CalendarCallbackPage = z.string().meta({ id: 'CalendarCallbackPage', description: 'An HTML page saying the calendar is connected' });

/** Whether a connected calendar works: `needs_reauth` when the provider refused its refresh token. */
export const CalendarIntegrationStatus = z.enum(['connected', 'needs_reauth']).meta({ id: 'CalendarIntegrationStatus' });

/** One connected calendar of the caller. Never carries a token. */
export const CalendarIntegration = z
  .object({
    provider: CalendarProvider,
    status: CalendarIntegrationStatus.describe('`needs_reauth`: the provider refused the stored grant (revoked, expired or password changed); connect again'),
    scopes: z.array(z.string()).describe('Scopes the provider granted'),
    connected_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'CalendarIntegration' });
/** A connected calendar. */
export type CalendarIntegration = z.infer<typeof CalendarIntegration>;

/** Answer of `GET /calendar/integrations`. */
export const CalendarIntegrationList = z.object({ ok: z.literal(true), integrations: z.array(CalendarIntegration) }).meta({ id: 'CalendarIntegrationList' });

/** Answer of `DELETE /calendar/integrations/{provider}`. */
export const CalendarDisconnectResponse = z
  .object({
    ok: z.literal(true),
    provider: CalendarProvider,
    revoked_at_provider: z
      .boolean()
      .describe(
        'Google and the sandbox: the grant was revoked at the provider. Microsoft has no revocation endpoint for this flow: always `false` (the tokens are deleted here; the user removes the app at myapps.microsoft.com)',
      ),
  })
  .meta({ id: 'CalendarDisconnectResponse' });
