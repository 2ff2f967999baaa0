import { startLocalApi, bearerToken, type LocalApi } from './local-api.js';

/** The key the fake OpenAI accepts. */
export const FAKE_OPENAI_API_KEY = 'sk-proj-fakeopenaikey000000000000000000000001';

/**
 * OpenAI's `GET /v1/models` as it answers: the model list for a good key, and for a bad one
 * `401` with `invalid_api_key` whose message quotes the key's first and last characters (as the
 * real one does: the self-test must not pass that message on).
 */
export async function startFakeOpenAI(options: { apiKey?: string; quotaExceeded?: boolean } = {}): Promise<LocalApi> {
  const apiKey = options.apiKey ?? FAKE_OPENAI_API_KEY;
  return startLocalApi((request) => {
    if (request.method !== 'GET' || request.path !== '/v1/models') {
      return { status: 404, body: { error: { message: `Invalid URL (${request.method} ${request.path})`, type: 'invalid_request_error', param: null, code: null } } };
    }
    const given = bearerToken(request.headers.authorization);
    if (given === null) {
      return { status: 401, body: { error: { message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", type: 'invalid_request_error', param: null, code: null } } };
    }
    if (given !== apiKey) {
      const shown = `${given.slice(0, 8)}${'*'.repeat(Math.max(0, given.length - 12))}${given.slice(-4)}`;
      return { status: 401, body: { error: { message: `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } };
    }
    if (options.quotaExceeded) {
      return { status: 429, body: { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } } };
    }
    const created = 1_715_367_049;
    return {
      status: 200,
      body: { object: 'list', data: ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small'].map((id) => ({ id, object: 'model', created, owned_by: 'system' })) },
    };
  });
}
