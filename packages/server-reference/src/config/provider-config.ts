import type { SendGridConfig } from './server-config.js';

/**
 * An API origin override such as `TWILIO_API_BASE_URL` (a corporate proxy, or a local fake in
 * tests): an `http(s)` URL without query or fragment; `undefined` when unset or invalid (the
 * problem is recorded).
 */
export function readApiBaseUrl(
  read: (name: string) => string | undefined,
  name: string,
  problems: string[],
  /** What the URL is, for the problem text. */
  what = 'an http(s) URL such as https://api.example.com',
): string | undefined {
  const value = read(name);
  if (value === undefined) return undefined;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password) {
    problems.push(`${name} must be ${what} (no query, fragment or credentials)`);
    return undefined;
  }
  return value.replace(/\/+$/, '');
}

/**
 * A public origin of this server (`CAREOS_PUBLIC_URL`, `TWILIO_WEBHOOK_BASE_URL`), checked like an
 * API origin: `null` when unset or invalid. One reader, so a bad value is reported once.
 */
export function readPublicUrl(read: (name: string) => string | undefined, name: string, problems: string[]): string | null {
  return readApiBaseUrl(read, name, problems, 'the public http(s) URL of this server, such as https://api.example.com') ?? null;
}

/** `SENDGRID_*`: null when no SendGrid variable is set (the console provider is used). */
export function readSendGrid(read: (name: string) => string | undefined, problems: string[]): SendGridConfig | null {
  const apiKey = read('SENDGRID_API_KEY');
  const fromEmail = read('SENDGRID_FROM_EMAIL');
  const fromName = read('SENDGRID_FROM_NAME') ?? null;
  const baseUrl = readApiBaseUrl(read, 'SENDGRID_API_BASE_URL', problems);
  if (!apiKey && !fromEmail) return null;
  if (!apiKey) problems.push('SENDGRID_API_KEY is required to send email through SendGrid');
  if (!fromEmail || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(fromEmail)) problems.push('SENDGRID_FROM_EMAIL must be the verified sender address when SENDGRID_API_KEY is set');
  if (!apiKey || !fromEmail) return null;
  return { apiKey, fromEmail, fromName, ...(baseUrl ? { baseUrl } : {}) };
}
