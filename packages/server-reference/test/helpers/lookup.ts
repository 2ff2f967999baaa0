import { SEED_LOOKUP_API_KEY } from '@careos/contract';
import type { TestApp } from './app.js';
import { call, type TestResponse } from './http.js';

/** Headers with the seed's placeholder key (a demo key), plus `extra`. */
export function lookupHeaders(extra: Record<string, string> = {}, apiKey: string = SEED_LOOKUP_API_KEY): Record<string, string> {
  return { 'x-api-key': apiKey, ...extra };
}

/** `GET /api/lookup?phone=<raw>`: `raw` goes into the URL exactly as given (encode it yourself). */
export function lookupGet(server: TestApp, raw: string, headers: Record<string, string> = lookupHeaders()): Promise<TestResponse> {
  return call(server.url, 'GET', `/api/lookup?phone=${raw}`, { headers });
}

/** `POST /api/lookup` with `{ phone }`. */
export function lookupPost(server: TestApp, phone: unknown, headers: Record<string, string> = lookupHeaders()): Promise<TestResponse> {
  return call(server.url, 'POST', '/api/lookup', { json: { phone }, headers });
}

/** Every way a lookup's phone could be written down: for checks that none of them reaches a log or an audit row. */
export function phoneForms(e164: string, display: string): string[] {
  const national = e164.slice(3);
  return [e164, e164.slice(1), display, display.replaceAll(' ', ''), national, encodeURIComponent(display), display.slice(4)];
}
