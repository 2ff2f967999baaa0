import { randomBytes } from 'node:crypto';
import { startLocalApi, type LocalApi } from './local-api.js';

/** A client the fake Google knows. */
export const FAKE_GOOGLE_CLIENT = {
  clientId: '123456789012-fakeclient0001.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-fake-google-client-secret-0001',
  redirectUri: 'http://localhost:8080/calendar/google/callback',
} as const;

/** A running fake of Google's OAuth 2.0 token endpoint. */
export interface FakeGoogleOAuth extends LocalApi {
  /** An authorization code the fake would redeem (as if the user had consented). */
  issueCode(): string;
}

/**
 * Google's token endpoint (`POST https://oauth2.googleapis.com/token`) as it answers: the client
 * is authenticated first (`401 invalid_client`, "The OAuth client was not found." or
 * "Unauthorized"), then the grant (`400 invalid_grant` "Malformed auth code." for a code it never
 * issued, `400 redirect_uri_mismatch` for an unregistered redirect URI).
 */
export async function startFakeGoogleOAuth(client: { clientId: string; clientSecret: string; redirectUri: string } = FAKE_GOOGLE_CLIENT): Promise<FakeGoogleOAuth> {
  const codes = new Set<string>();
  const api = await startLocalApi((request) => {
    if (request.method !== 'POST' || request.path !== '/token') return { status: 404, body: 'Not Found' };
    const form = request.form;
    if (!form.get('grant_type')) return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' } };
    if (form.get('client_id') !== client.clientId) return { status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } };
    if (form.get('client_secret') !== client.clientSecret) return { status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } };
    if (form.get('grant_type') !== 'authorization_code') return { status: 400, body: { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${form.get('grant_type')}` } };
    const code = form.get('code') ?? '';
    if (!codes.has(code)) return { status: 400, body: { error: 'invalid_grant', error_description: 'Malformed auth code.' } };
    if (form.get('redirect_uri') !== client.redirectUri) return { status: 400, body: { error: 'redirect_uri_mismatch', error_description: 'Bad Request' } };
    codes.delete(code);
    return {
      status: 200,
      body: { access_token: `ya29.${randomBytes(24).toString('base64url')}`, expires_in: 3599, refresh_token: `1//${randomBytes(24).toString('base64url')}`, scope: 'https://www.googleapis.com/auth/calendar', token_type: 'Bearer' },
    };
  });
  return {
    ...api,
    issueCode() {
      const code = `4/0A${randomBytes(30).toString('base64url')}`;
      codes.add(code);
      return code;
    },
  };
}
