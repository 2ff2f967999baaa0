import type { IntegrationCheckResult } from '@careos/contract';
import type { IntegrationSettings } from '../config/integrations-config.js';
import { basicAuth, checkRequest } from './http-check.js';
import { maskId } from './mask.js';
import { notSet, result } from './result.js';

/** OpenAI: lists the models (`GET /v1/models`) with `OPENAI_API_KEY`. */
export async function checkOpenAI(settings: IntegrationSettings['openai'], signal: AbortSignal): Promise<IntegrationCheckResult> {
  if (!settings.apiKey) return result('openai', 'not_configured', `${notSet(['OPENAI_API_KEY'])}: AI helpers are off`);
  const response = await checkRequest(`${settings.baseUrl}/models`, { headers: { authorization: `Bearer ${settings.apiKey}` }, signal });
  if (response.status === 200) {
    const count = Array.isArray(response.body.data) ? response.body.data.length : 0;
    return result('openai', 'ok', `API key accepted, ${count} model${count === 1 ? '' : 's'} available`);
  }
  // OpenAI's error message quotes part of the key: only its code is reported.
  const error = response.body.error as { code?: unknown; type?: unknown } | undefined;
  const code = typeof error?.code === 'string' ? error.code : typeof error?.type === 'string' ? error.type : null;
  const reference = code ? `HTTP ${response.status}, ${code}` : `HTTP ${response.status}`;
  if (response.status === 401) return result('openai', 'failed', `OpenAI refused OPENAI_API_KEY (${reference})`);
  if (response.status === 429) return result('openai', 'failed', `OpenAI accepted the key but refuses requests (${reference}): rate limit or quota`);
  return result('openai', 'failed', `OpenAI answered ${reference}`);
}

/**
 * Stripe: reads the account (`GET /v1/account`) with `STRIPE_SECRET_KEY`; a restricted key that
 * may not read it is checked on `GET /v1/balance` instead.
 */
export async function checkStripe(settings: IntegrationSettings['stripe'], signal: AbortSignal): Promise<IntegrationCheckResult> {
  const key = settings.secretKey;
  if (!key) return result('stripe', 'not_configured', `${notSet(['STRIPE_SECRET_KEY'])}: payouts are recorded in the ledger only`);
  if (key.startsWith('pk_')) return result('stripe', 'failed', 'STRIPE_SECRET_KEY holds a publishable key (pk_…): use a secret (sk_…) or restricted (rk_…) key');
  const mode = key.startsWith('sk_live_') || key.startsWith('rk_live_') ? 'live mode' : key.startsWith('sk_test_') || key.startsWith('rk_test_') ? 'test mode' : 'unknown mode';
  const authorization = basicAuth(key, '');
  const account = await checkRequest(`${settings.baseUrl}/v1/account`, { headers: { authorization }, signal });
  if (account.status === 200 && typeof account.body.id === 'string') {
    const payouts = account.body.payouts_enabled === false ? '; payouts are not enabled on this account' : '';
    return result('stripe', 'ok', `Secret key accepted (${mode})${payouts}`, { account: maskId(account.body.id) });
  }
  if (account.status === 403) {
    const balance = await checkRequest(`${settings.baseUrl}/v1/balance`, { headers: { authorization }, signal });
    if (balance.status === 200) return result('stripe', 'ok', `Restricted key accepted (${mode}); it may read the balance, not the account`);
    return result('stripe', 'failed', `Stripe accepted the key but it may read neither the account nor the balance (HTTP ${balance.status})`);
  }
  // Stripe's error message quotes the key's last characters: only the type and code are reported.
  const error = account.body.error as { type?: unknown; code?: unknown } | undefined;
  const detail = [`HTTP ${account.status}`, error?.type, error?.code].filter((part) => typeof part === 'string' || typeof part === 'number').join(', ');
  if (account.status === 401) return result('stripe', 'failed', `Stripe refused STRIPE_SECRET_KEY (${detail})`);
  return result('stripe', 'failed', `Stripe answered ${detail}`);
}
