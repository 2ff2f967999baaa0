import type { DemoCredentials } from '../../src/index.js';
import type { TestApp } from './app.js';
import { call, type CallOptions, type TestResponse } from './http.js';

/** The admin account integration tests log in with. */
export const INTEGRATION_ADMIN = { CAREOS_ADMIN_EMAIL: 'ops@careos.test', CAREOS_ADMIN_PASSWORD: 'correct horse battery' };

/** The demo's integration credentials. */
export type IntegrationCredentials = DemoCredentials['integration'];

/** Exchanges the credentials for a token (asserting success). */
export async function integrationToken(server: TestApp, creds: Pick<IntegrationCredentials, 'apiKey' | 'apiSecret' | 'therapistId'>): Promise<string> {
  const res = await call(server.url, 'POST', '/api/integration/auth', { json: { apiKey: creds.apiKey, apiSecret: creds.apiSecret, therapistId: creds.therapistId } });
  if (res.status !== 200) throw new Error(`integration auth failed: ${res.status} ${res.text}`);
  return res.body.token as string;
}

/** A call with `Authorization: Bearer <token>`. */
export function withToken(server: TestApp, token: string) {
  return (method: string, path: string, options: CallOptions = {}): Promise<TestResponse> =>
    call(server.url, method, path, { ...options, headers: { authorization: `Bearer ${token}`, ...options.headers } });
}

/** Admin bearer headers (the app must be started with {@link INTEGRATION_ADMIN}). */
export async function adminHeaders(server: TestApp): Promise<Record<string, string>> {
  const res = await call(server.url, 'POST', '/auth/login', { json: { email: INTEGRATION_ADMIN.CAREOS_ADMIN_EMAIL, password: INTEGRATION_ADMIN.CAREOS_ADMIN_PASSWORD } });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${res.text}`);
  return { authorization: `Bearer ${res.body.access_token}` };
}
