import type { IntegrationCheckResult, IntegrationService } from '@careos/contract';
import type { IntegrationSettings } from '../config/integrations-config.js';
import { checkRequest } from './http-check.js';
import { maskId } from './mask.js';
import { missing, notSet, result } from './result.js';

/**
 * The authorization code the OAuth checks redeem: deliberately invalid, so no token is ever
 * issued. A token endpoint authenticates the client before it looks at the grant (RFC 6749
 * §5.2), so `invalid_grant` means the client id and secret were accepted and `invalid_client`
 * that they were not.
 */
export const SELF_TEST_CODE = 'careos-integration-self-test-invalid-code';

interface OAuthClient {
  clientId: string | null;
  clientSecret: string | null;
  redirectUri: string | null;
}

/**
 * Google Calendar: `GOOGLE_CLIENT_ID`, `GOOGLE_CLIENT_SECRET` and `GOOGLE_REDIRECT_URI` set, and
 * the client verified at Google's token endpoint (`POST /token`) with an invalid code.
 */
export function checkGoogle(settings: IntegrationSettings['google'], signal: AbortSignal): Promise<IntegrationCheckResult> {
  return checkOAuthClient('google_calendar', 'GOOGLE', 'Google', settings, `${settings.baseUrl}/token`, signal);
}

/**
 * Microsoft Outlook: `MICROSOFT_CLIENT_ID`, `MICROSOFT_CLIENT_SECRET` and `MICROSOFT_REDIRECT_URI`
 * set, and the app verified at `/{tenant}/oauth2/v2.0/token` (Microsoft identity platform)
 * with an invalid code.
 */
export function checkMicrosoft(settings: IntegrationSettings['microsoft'], signal: AbortSignal): Promise<IntegrationCheckResult> {
  const url = `${settings.baseUrl}/${encodeURIComponent(settings.tenant)}/oauth2/v2.0/token`;
  return checkOAuthClient('microsoft_outlook', 'MICROSOFT', 'Microsoft', settings, url, signal);
}

async function checkOAuthClient(
  service: IntegrationService,
  prefix: 'GOOGLE' | 'MICROSOFT',
  provider: string,
  client: OAuthClient,
  tokenUrl: string,
  signal: AbortSignal,
): Promise<IntegrationCheckResult> {
  const { clientId, clientSecret, redirectUri } = client;
  const names = { [`${prefix}_CLIENT_ID`]: clientId, [`${prefix}_CLIENT_SECRET`]: clientSecret, [`${prefix}_REDIRECT_URI`]: redirectUri };
  const absent = missing(names);
  if (absent.length === 3) return result(service, 'not_configured', `${notSet(absent)}: calendar connections are off`);
  const ids = clientId ? { client_id: maskId(clientId) } : undefined;
  if (absent.length) return result(service, 'failed', notSet(absent), ids);
  if (!/^https?:\/\/[^\s]+$/.test(redirectUri!)) return result(service, 'failed', `${prefix}_REDIRECT_URI is not an http(s) URL`, ids);

  const response = await checkRequest(tokenUrl, {
    method: 'POST',
    form: { grant_type: 'authorization_code', code: SELF_TEST_CODE, client_id: clientId!, client_secret: clientSecret!, redirect_uri: redirectUri! },
    signal,
  });
  const error = typeof response.body.error === 'string' ? response.body.error : null;
  const reference = oauthErrorReference(response.body, error, response.status);
  if (error === 'invalid_grant') return result(service, 'ok', `${provider} accepted the client id and secret (an invalid code was refused with invalid_grant, as expected)`, ids);
  if (response.status === 200 && typeof response.body.access_token === 'string') {
    // Never expected: a token for a made-up code. It proves the client, and it is not kept.
    return result(service, 'ok', `${provider} accepted the client id and secret`, ids);
  }
  if (error === 'invalid_client') return result(service, 'failed', `${provider} refused the client (${reference}): check ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET`, ids);
  if (error === 'unauthorized_client') return result(service, 'failed', `${provider} does not know this client or forbids it this grant (${reference}): check ${prefix}_CLIENT_ID`, ids);
  if (error === 'redirect_uri_mismatch') return result(service, 'failed', `${provider} does not accept ${prefix}_REDIRECT_URI for this client (${reference}): register it`, ids);
  return result(service, 'failed', `${provider}'s token endpoint answered ${reference}`, ids);
}

/**
 * "invalid_client, AADSTS7000215": the OAuth error code and, from Microsoft, the AADSTS number.
 * Never the `error_description`, which quotes the client id and, from some servers, parts of the request.
 */
function oauthErrorReference(body: Record<string, unknown>, error: string | null, status: number): string {
  const codes = Array.isArray(body.error_codes) ? body.error_codes.filter((code): code is number => typeof code === 'number') : [];
  const parts = [error ?? `HTTP ${status}`, ...codes.slice(0, 1).map((code) => `AADSTS${code}`)];
  return parts.join(', ');
}
