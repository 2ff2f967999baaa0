import { request } from 'undici';

/** A response as tests look at it. */
export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, else the text. */
  body: any;
  text: string;
}

/** Options of {@link call}. */
export interface CallOptions {
  headers?: Record<string, string>;
  /** Sent as JSON (with Content-Type) unless `raw` is given. */
  json?: unknown;
  /** Sent as is. */
  raw?: string | Buffer;
}

/**
 * A real HTTP request to a test server (undici, so msw's fetch interception used for
 * provider mocks never sees it).
 */
export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Buffer | undefined = options.raw;
  if (options.json !== undefined && body === undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(`${baseUrl}${path}`, { method: method as 'GET', headers, body });
  const text = await res.body.text();
  let parsed: unknown = text;
  if ((res.headers['content-type'] ?? '').toString().includes('json') && text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(res.headers)) if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : String(value);
  return { status: res.statusCode, headers: flat, body: parsed, text };
}
