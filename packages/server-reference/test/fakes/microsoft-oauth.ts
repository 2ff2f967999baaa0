import { randomBytes, randomUUID } from 'node:crypto';
import { startLocalApi, type LocalApi, type LocalApiReply } from './local-api.js';

/** An app registration the fake Microsoft identity platform knows. */
export const FAKE_MICROSOFT_CLIENT = {
  clientId: '00000000-1111-2222-3333-444444444444',
  clientSecret: 'fake~microsoft~client~secret~0001',
  redirectUri: 'http://localhost:8080/calendar/microsoft/callback',
} as const;

/** An AADSTS error as `login.microsoftonline.com` writes it. */
function aadError(status: number, error: string, code: number, description: string): LocalApiReply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

/**
 * The Microsoft identity platform's token endpoint (`POST /{tenant}/oauth2/v2.0/token`) as it
 * answers: an unknown app `400 unauthorized_client` (AADSTS700016, quoting the app id), a wrong
 * secret `401 invalid_client` (AADSTS7000215), a code it never issued `400 invalid_grant`
 * (AADSTS9002313), an unregistered redirect URI `400 invalid_request` (AADSTS50011).
 */
export async function startFakeMicrosoftOAuth(client: { clientId: string; clientSecret: string; redirectUri: string } = FAKE_MICROSOFT_CLIENT): Promise<LocalApi & { issueCode(): string }> {
  const codes = new Set<string>();
  const api = await startLocalApi((request) => {
    const match = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(request.path);
    if (request.method !== 'POST' || !match) return { status: 404, body: '' };
    const form = request.form;
    if (form.get('client_id') !== client.clientId) {
      return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory '${match[1]}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
    }
    if (form.get('client_secret') !== client.clientSecret) {
      return aadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`);
    }
    if (form.get('grant_type') !== 'authorization_code') return aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    const code = form.get('code') ?? '';
    if (!codes.has(code)) return aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    if (form.get('redirect_uri') !== client.redirectUri) return aadError(400, 'invalid_request', 50011, `The redirect URI '${form.get('redirect_uri') ?? ''}' specified in the request does not match the redirect URIs configured for the application '${client.clientId}'.`);
    codes.delete(code);
    return { status: 200, body: { token_type: 'Bearer', scope: 'Calendars.ReadWrite', expires_in: 3599, ext_expires_in: 3599, access_token: `eyJ0${randomBytes(32).toString('base64url')}`, refresh_token: `0.A${randomBytes(32).toString('base64url')}` } };
  });
  return {
    ...api,
    issueCode() {
      const code = `0.AXoA${randomBytes(40).toString('base64url')}`;
      codes.add(code);
      return code;
    },
  };
}
