import { FAKE_GOOGLE_CLIENT } from '../fakes/google-oauth.js';
import { FAKE_MICROSOFT_CLIENT } from '../fakes/microsoft-oauth.js';

/**
 * The Google and Microsoft OAuth settings of the fake clients, pointing at `origins` (by default
 * an unreachable port: connect builds its URL without calling the provider, so route-wide tests
 * need no fake running).
 */
export function calendarEnv(origins: { google: string; microsoft: string } = { google: 'http://127.0.0.1:9', microsoft: 'http://127.0.0.1:9' }): Record<string, string> {
  return {
    GOOGLE_CLIENT_ID: FAKE_GOOGLE_CLIENT.clientId,
    GOOGLE_CLIENT_SECRET: FAKE_GOOGLE_CLIENT.clientSecret,
    GOOGLE_REDIRECT_URI: FAKE_GOOGLE_CLIENT.redirectUri,
    GOOGLE_OAUTH_BASE_URL: origins.google,
    GOOGLE_CALENDAR_API_BASE_URL: origins.google,
    MICROSOFT_CLIENT_ID: FAKE_MICROSOFT_CLIENT.clientId,
    MICROSOFT_CLIENT_SECRET: FAKE_MICROSOFT_CLIENT.clientSecret,
    MICROSOFT_REDIRECT_URI: FAKE_MICROSOFT_CLIENT.redirectUri,
    MICROSOFT_LOGIN_BASE_URL: origins.microsoft,
    MICROSOFT_GRAPH_BASE_URL: origins.microsoft,
    // Syncs run when a test asks: the background worker would race its counts.
    CAREOS_CALENDAR_SYNC_INTERVAL_SECONDS: '0',
  };
}
