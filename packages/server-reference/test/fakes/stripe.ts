import { basicCredentials, bearerToken, startLocalApi, type LocalApi } from './local-api.js';

/** The secret key the fake Stripe accepts. */
export const FAKE_STRIPE_SECRET_KEY = 'sk_test_fakestripekey00000000000000000000000001';
/** The account it answers with. */
export const FAKE_STRIPE_ACCOUNT_ID = 'acct_1FakeStripeAcct01';

/**
 * Stripe's `GET /v1/account` and `GET /v1/balance` as they answer: the key as HTTP basic user or
 * bearer token; a wrong key `401` "Invalid API Key provided: sk_test_****0001" (the real message
 * quotes the key's last characters); a restricted key (`restricted: true`) may read the balance
 * but gets `403` on the account.
 */
export async function startFakeStripe(options: { secretKey?: string; restricted?: boolean } = {}): Promise<LocalApi> {
  const secretKey = options.secretKey ?? FAKE_STRIPE_SECRET_KEY;
  return startLocalApi((request) => {
    const given = basicCredentials(request.headers.authorization)?.user ?? bearerToken(request.headers.authorization);
    if (!given) {
      return { status: 401, body: { error: { message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').", type: 'invalid_request_error' } } };
    }
    if (given !== secretKey) return { status: 401, body: { error: { message: `Invalid API Key provided: ${given.slice(0, 8)}****${given.slice(-4)}`, type: 'invalid_request_error' } } };
    const requestId = { 'request-id': `req_${Date.now().toString(36)}` };
    if (request.method === 'GET' && request.path === '/v1/account') {
      if (options.restricted) {
        return {
          status: 403,
          headers: requestId,
          body: { error: { message: `The provided key '${given.slice(0, 8)}***${given.slice(-4)}' does not have the required permissions for this endpoint on account '${FAKE_STRIPE_ACCOUNT_ID}'. Having the 'rak_accounts_kyc_basic_read' permission would allow this request to continue.`, type: 'invalid_request_error' } },
        };
      }
      return {
        status: 200,
        headers: requestId,
        body: { id: FAKE_STRIPE_ACCOUNT_ID, object: 'account', business_type: 'company', charges_enabled: true, payouts_enabled: true, country: 'US', default_currency: 'usd', details_submitted: true, type: 'standard' },
      };
    }
    if (request.method === 'GET' && request.path === '/v1/balance') {
      return { status: 200, headers: requestId, body: { object: 'balance', available: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }], livemode: false, pending: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }] } };
    }
    return { status: 404, headers: requestId, body: { error: { message: `Unrecognized request URL (${request.method}: ${request.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`, type: 'invalid_request_error' } } };
  });
}
