import { startLocalApi, type LocalApi, type LocalApiReply } from './local-api.js';
import { googleCalendarRoutes, type FakeGoogleCalendar } from './google-calendar.js';
import { googleWatchRoutes, type FakeGoogleWatch } from './google-watch.js';
import { OAuthGrants, refused } from './oauth-grants.js';

/** A client the fake Google knows. */
export const FAKE_GOOGLE_CLIENT = {
  clientId: '123456789012-fakeclient0001.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-fake-google-client-secret-0001',
  redirectUri: 'http://localhost:8080/calendar/google/callback',
} as const;

/** A running fake of Google's OAuth 2.0 endpoints. */
export interface FakeGoogleOAuth extends LocalApi {
  /** An authorization code the fake would redeem without PKCE (as if the user had consented). */
  issueCode(): string;
  /** The refresh tokens, codes and access tokens it issued. */
  grants: OAuthGrants;
  /** The primary calendar its Calendar API (`/calendar/v3`, same origin) serves. */
  calendar: FakeGoogleCalendar;
  /** Its push channels (`events.watch`, `channels.stop`) and a way to send notifications. */
  watch: FakeGoogleWatch;
}

/**
 * Google's OAuth 2.0 endpoints as they answer, on one origin (`GOOGLE_OAUTH_BASE_URL`; the
 * Calendar API of `google-calendar.ts` is served there too, for `GOOGLE_CALENDAR_API_BASE_URL`):
 * - `GET /o/oauth2/v2/auth` (on `accounts.google.com` in production): the consent, given at once —
 *   redirects to the registered redirect URI with `code`, `state` and `scope`; an unknown client
 *   or redirect URI gets Google's 400 error page instead of a redirect;
 * - `POST /token`: the client first (`401 invalid_client`, "The OAuth client was not found." or
 *   "Unauthorized"), then the grant: `authorization_code` with the PKCE verifier checked
 *   (`invalid_grant` "Invalid code verifier."), `refresh_token` (not rotated;
 *   `invalid_grant` "Token has been expired or revoked."), `400 redirect_uri_mismatch`;
 * - `POST /revoke` (`token=`): 200, or `400 invalid_token` for a token it does not know.
 */
export async function startFakeGoogleOAuth(client: { clientId: string; clientSecret: string; redirectUri: string } = FAKE_GOOGLE_CLIENT): Promise<FakeGoogleOAuth> {
  const grants = new OAuthGrants({ rotate: false, accessPrefix: 'ya29.', refreshPrefix: '1//', codePrefix: '4/0A' });
  const calendar = googleCalendarRoutes(grants);
  const watch = googleWatchRoutes(grants);
  const api = await startLocalApi((request): LocalApiReply => {
    const watchReply = watch.handle(request);
    if (watchReply) return watchReply;
    const calendarReply = calendar.handle(request);
    if (calendarReply) return calendarReply;
    if (request.method === 'GET' && request.path === '/o/oauth2/v2/auth') {
      const q = request.query;
      if (q.get('client_id') !== client.clientId) return { status: 401, body: 'Error 401: invalid_client. The OAuth client was not found.' };
      if (q.get('redirect_uri') !== client.redirectUri) return { status: 400, body: "Error 400: redirect_uri_mismatch. You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy." };
      if (q.get('response_type') !== 'code') return { status: 400, body: 'Error 400: invalid_request. Invalid response_type.' };
      const challenge = q.get('code_challenge');
      if (challenge && q.get('code_challenge_method') !== 'S256') return { status: 400, body: 'Error 400: invalid_request. Invalid code_challenge_method.' };
      const scope = q.get('scope') ?? '';
      const target = new URL(client.redirectUri);
      target.searchParams.set('state', q.get('state') ?? '');
      target.searchParams.set('code', grants.issue(client.redirectUri, challenge, scope));
      target.searchParams.set('scope', scope);
      return { status: 302, headers: { location: target.toString() } };
    }
    if (request.method === 'POST' && request.path === '/revoke') {
      return grants.revoke(request.form.get('token') ?? '') ? { status: 200, body: {} } : { status: 400, body: { error: 'invalid_token', error_description: 'Token expired or revoked' } };
    }
    if (request.method !== 'POST' || request.path !== '/token') return { status: 404, body: 'Not Found' };
    const form = request.form;
    if (!form.get('grant_type')) return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' } };
    if (form.get('client_id') !== client.clientId) return { status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } };
    if (form.get('client_secret') !== client.clientSecret) return { status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } };
    const grantType = form.get('grant_type');
    if (grantType === 'refresh_token') {
      const result = grants.refresh(form.get('refresh_token') ?? '');
      if (refused(result)) return { status: 400, body: { error: result.error, error_description: result.description } };
      return { status: 200, body: { access_token: result.accessToken, expires_in: 3599, scope: result.scope, token_type: 'Bearer' } };
    }
    if (grantType !== 'authorization_code') return { status: 400, body: { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grantType}` } };
    const code = form.get('code') ?? '';
    if (!grants.knowsCode(code)) return { status: 400, body: { error: 'invalid_grant', error_description: 'Malformed auth code.' } };
    if (form.get('redirect_uri') !== client.redirectUri) return { status: 400, body: { error: 'redirect_uri_mismatch', error_description: 'Bad Request' } };
    const result = grants.redeem(code, form.get('redirect_uri'), form.get('code_verifier'));
    if (refused(result)) return { status: 400, body: { error: result.error, error_description: result.description } };
    return { status: 200, body: { access_token: result.accessToken, expires_in: 3599, refresh_token: result.refreshToken, scope: result.scope || 'https://www.googleapis.com/auth/calendar', token_type: 'Bearer' } };
  });
  return {
    ...api,
    grants,
    calendar: calendar.calendar,
    watch: watch.watch,
    issueCode: () => grants.issue(client.redirectUri, null, 'https://www.googleapis.com/auth/calendar'),
  };
}
