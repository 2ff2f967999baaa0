import { randomBytes } from 'node:crypto';
import { basicCredentials, startLocalApi, type LocalApi } from './local-api.js';

/** Credentials the self-test's Twilio fake accepts. */
export const SELFTEST_TWILIO = { accountSid: `AC${'0'.repeat(31)}7`, authToken: 'selftest-twilio-auth-token-00000007' } as const;

/**
 * The two Twilio endpoints the self-test uses: the account fetch (`GET
 * /2010-04-01/Accounts/{SID}.json`, which like the real one returns the auth token in its body)
 * and message create; wrong credentials get Twilio's `401` `20003 Authenticate`.
 */
export async function startSelftestTwilio(options: { status?: 'active' | 'suspended' } = {}): Promise<LocalApi & { sent: { to: string; body: string; sid: string }[] }> {
  const sent: { to: string; body: string; sid: string }[] = [];
  const api = await startLocalApi((request) => {
    const auth = basicCredentials(request.headers.authorization);
    if (auth?.user !== SELFTEST_TWILIO.accountSid || auth.password !== SELFTEST_TWILIO.authToken) {
      return { status: 401, body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 } };
    }
    const base = `/2010-04-01/Accounts/${SELFTEST_TWILIO.accountSid}`;
    if (request.method === 'GET' && request.path === `${base}.json`) {
      return { status: 200, body: { sid: SELFTEST_TWILIO.accountSid, friendly_name: 'CareOS test account', status: options.status ?? 'active', type: 'Full', auth_token: SELFTEST_TWILIO.authToken, uri: `${base}.json` } };
    }
    if (request.method === 'POST' && request.path === `${base}/Messages.json`) {
      const sid = `SM${randomBytes(16).toString('hex')}`;
      sent.push({ to: request.form.get('To') ?? '', body: request.form.get('Body') ?? '', sid });
      return { status: 201, body: { sid, status: 'queued', to: request.form.get('To'), body: request.form.get('Body') } };
    }
    return { status: 404, body: { code: 20404, message: `The requested resource ${request.path} was not found`, more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 } };
  });
  return { ...api, sent };
}
