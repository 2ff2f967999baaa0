import { randomUUID } from 'node:crypto';
import { startLocalApi, type LocalApi, type LocalApiReply } from './local-api.js';
import { graphCalendarRoutes, type FakeGraphCalendar } from './graph-calendar.js';
import { graphSubscriptionRoutes, type FakeGraphSubscriptions } from './graph-subscriptions.js';
import { OAuthGrants, refused } from './oauth-grants.js';

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

/** A running fake of the Microsoft identity platform. */
export interface FakeMicrosoftOAuth extends LocalApi {
  /** An authorization code the fake would redeem without PKCE. */
  issueCode(): string;
  grants: OAuthGrants;
  /** The calendar its Graph endpoints (`/v1.0`, same origin, for `MICROSOFT_GRAPH_BASE_URL`) serve. */
  calendar: FakeGraphCalendar;
  /** Its subscriptions (`/v1.0/subscriptions`, validation handshake included) and a way to send notifications. */
  subscriptions: FakeGraphSubscriptions;
}

/**
 * The Microsoft identity platform (`/{tenant}/oauth2/v2.0/…`) as it answers:
 * - `GET authorize`: consent given at once, redirect with `code` and `state` (an unknown app or
 *   redirect URI gets the error page, AADSTS700016 / AADSTS50011);
 * - `POST token`: an unknown app `400 unauthorized_client` (AADSTS700016), a wrong secret
 *   `401 invalid_client` (AADSTS7000215), a code it never issued or a wrong PKCE verifier
 *   `400 invalid_grant` (AADSTS9002313 / AADSTS501481), an unregistered redirect URI
 *   `400 invalid_request` (AADSTS50011); `refresh_token` rotates the refresh token and retires
 *   the old one (a revoked one: `invalid_grant` AADSTS70008). There is no revocation endpoint.
 */
export async function startFakeMicrosoftOAuth(client: { clientId: string; clientSecret: string; redirectUri: string } = FAKE_MICROSOFT_CLIENT): Promise<FakeMicrosoftOAuth> {
  const grants = new OAuthGrants({ rotate: true, accessPrefix: 'eyJ0', refreshPrefix: '0.A', codePrefix: '0.AXoA' });
  let origin = '';
  const calendar = graphCalendarRoutes(grants, () => origin);
  const subscriptions = graphSubscriptionRoutes(grants);
  const api = await startLocalApi((request): LocalApiReply | Promise<LocalApiReply> => {
    const subscriptionReply = subscriptions.handle(request);
    if (subscriptionReply) return subscriptionReply;
    const calendarReply = calendar.handle(request);
    if (calendarReply) return calendarReply;
    const match = /^\/([^/]+)\/oauth2\/v2\.0\/(token|authorize)$/.exec(request.path);
    if (!match) return { status: 404, body: '' };
    if (match[2] === 'authorize' && request.method === 'GET') {
      const q = request.query;
      if (q.get('client_id') !== client.clientId) return { status: 400, body: `AADSTS700016: Application with identifier '${q.get('client_id') ?? ''}' was not found in the directory '${match[1]}'.` };
      if (q.get('redirect_uri') !== client.redirectUri) return { status: 400, body: `AADSTS50011: The redirect URI '${q.get('redirect_uri') ?? ''}' specified in the request does not match the redirect URIs configured for the application.` };
      const target = new URL(client.redirectUri);
      target.searchParams.set('code', grants.issue(client.redirectUri, q.get('code_challenge'), (q.get('scope') ?? '').replace(/\boffline_access\b/, '').trim()));
      target.searchParams.set('state', q.get('state') ?? '');
      target.searchParams.set('session_state', randomUUID());
      return { status: 302, headers: { location: target.toString() } };
    }
    if (request.method !== 'POST' || match[2] !== 'token') return { status: 404, body: '' };
    const form = request.form;
    if (form.get('client_id') !== client.clientId) {
      return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory '${match[1]}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
    }
    if (form.get('client_secret') !== client.clientSecret) {
      return aadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`);
    }
    const tokenBody = (t: { accessToken: string; refreshToken: string | undefined; scope: string }) => ({
      status: 200,
      body: { token_type: 'Bearer', scope: t.scope || 'Calendars.ReadWrite', expires_in: 3599, ext_expires_in: 3599, access_token: t.accessToken, refresh_token: t.refreshToken },
    });
    if (form.get('grant_type') === 'refresh_token') {
      const result = grants.refresh(form.get('refresh_token') ?? '');
      if (refused(result)) return aadError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity.');
      return tokenBody(result);
    }
    if (form.get('grant_type') !== 'authorization_code') return aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    const code = form.get('code') ?? '';
    if (!grants.knowsCode(code)) return aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    if (form.get('redirect_uri') !== client.redirectUri) return aadError(400, 'invalid_request', 50011, `The redirect URI '${form.get('redirect_uri') ?? ''}' specified in the request does not match the redirect URIs configured for the application '${client.clientId}'.`);
    const result = grants.redeem(code, form.get('redirect_uri'), form.get('code_verifier'));
    if (refused(result)) return aadError(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
    return tokenBody(result);
  });
  origin = api.url;
  return { ...api, grants, calendar: calendar.calendar, subscriptions: subscriptions.subscriptions, issueCode: () => grants.issue(client.redirectUri, null, 'Calendars.ReadWrite') };
}
