import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { call, type TestResponse } from './http.js';

/** The consent page as a browser holds it: the page, its consent id, the cookie it set. */
export interface ShownConsent {
  page: TestResponse;
  consentId: string;
  /** `name=value` of the browser-binding cookie, as a browser would send it back. */
  cookie: string;
}

/** Loads the consent page at `authUrl` (an absolute URL on the test server) as a browser would. */
export async function showConsent(authUrl: string): Promise<ShownConsent> {
  const url = new URL(authUrl);
  const page = await call(url.origin, 'GET', `${url.pathname}${url.search}`);
  expect(page.status, page.text).toBe(200);
  const consentId = /name="consent" value="([^"]+)"/.exec(page.text)?.[1];
  const cookie = page.headers['set-cookie']?.split(';')[0];
  expect(consentId).toBeTruthy();
  expect(cookie).toMatch(/^careos_sandbox_browser=/);
  return { page, consentId: consentId!, cookie: cookie! };
}

/** Posts the person's answer; returns the response (a 303 to the redirect URI when accepted). */
export function answerConsent(origin: string, shown: Pick<ShownConsent, 'consentId' | 'cookie'>, decision: 'allow' | 'deny', cookie: string | null = shown.cookie): Promise<TestResponse> {
  return call(origin, 'POST', '/sandbox/calendar/oauth/authorize', {
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    raw: new URLSearchParams({ consent: shown.consentId, decision }).toString(),
  });
}

/** The path and query of a redirect's `Location`, to replay on the test server. */
export function redirectPath(res: TestResponse): string {
  const location = new URL(res.headers.location!);
  return `${location.pathname}${location.search}`;
}

/** A PKCE pair (RFC 7636 S256). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Posts a form to one of the sandbox's OAuth endpoints. */
export function postForm(origin: string, path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<TestResponse> {
  return call(origin, 'POST', path, { headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, raw: new URLSearchParams(form).toString() });
}
