import { bearerToken, startLocalApi, type LocalApi } from './local-api.js';

/** The API key the self-test's SendGrid fake accepts. */
export const SELFTEST_SENDGRID_API_KEY = 'SG.selftestkeyid.selftest-sendgrid-secret-0007';

/**
 * SendGrid's `GET /v3/scopes` as the self-test uses it: the key's scopes, or `401`
 * `authorization required` for a wrong key.
 */
export async function startSelftestSendGrid(options: { scopes?: string[] } = {}): Promise<LocalApi> {
  return startLocalApi((request) => {
    if (bearerToken(request.headers.authorization) !== SELFTEST_SENDGRID_API_KEY) return { status: 401, body: { errors: [{ field: null, message: 'authorization required' }] } };
    if (request.method === 'GET' && request.path === '/v3/scopes') return { status: 200, body: { scopes: options.scopes ?? ['mail.send', 'sender_verification_eligible', '2fa_required'] } };
    return { status: 404, body: { errors: [{ field: null, message: 'resource not found' }] } };
  });
}
