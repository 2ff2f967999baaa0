import { parseSendGridPublicKey } from '../providers/sendgrid-signature.js';
import { readPublicUrl } from './provider-config.js';
import { readInteger } from './read-integer.js';

/** Where Twilio and SendGrid reach us, and how their signed posts are checked. */
export interface ProviderWebhookConfig {
  /**
   * Public origin (and optional path prefix) Twilio posts to, without a trailing slash:
   * `TWILIO_WEBHOOK_BASE_URL`, else `CAREOS_PUBLIC_URL`. Twilio signs the URL it requested, so
   * behind a TLS-terminating proxy the signature is checked against this and the request's
   * path, not against the `http://` URL the server sees. `null`: the request's own URL is used
   * (right only when nothing rewrites it on the way).
   */
  twilioBaseUrl: string | null;
  /** SendGrid's Event Webhook verification key (`SENDGRID_WEBHOOK_PUBLIC_KEY`, base64 DER); `null` refuses every event post. */
  sendgridPublicKey: string | null;
  /** Oldest accepted signed timestamp of an event post (`SENDGRID_WEBHOOK_MAX_AGE_SECONDS`, default 300), in ms. */
  sendgridMaxAgeMs: number;
}

/** Reads `CAREOS_PUBLIC_URL`, `TWILIO_WEBHOOK_BASE_URL`, `SENDGRID_WEBHOOK_PUBLIC_KEY` and `SENDGRID_WEBHOOK_MAX_AGE_SECONDS`. */
export function readProviderWebhookConfig(read: (name: string) => string | undefined, problems: string[]): ProviderWebhookConfig {
  const publicUrl = readPublicUrl(read, 'CAREOS_PUBLIC_URL', problems);
  const twilioBaseUrl = readPublicUrl(read, 'TWILIO_WEBHOOK_BASE_URL', problems) ?? publicUrl;
  const sendgridPublicKey = read('SENDGRID_WEBHOOK_PUBLIC_KEY') ?? null;
  if (sendgridPublicKey !== null) {
    try {
      parseSendGridPublicKey(sendgridPublicKey);
    } catch {
      problems.push('SENDGRID_WEBHOOK_PUBLIC_KEY must be the verification key SendGrid shows for the signed Event Webhook (base64 DER of an EC P-256 public key)');
    }
  }
  const maxAgeSeconds = readInteger(
    read,
    'SENDGRID_WEBHOOK_MAX_AGE_SECONDS',
    { fallback: 300, min: 10, max: 86_400, problem: 'SENDGRID_WEBHOOK_MAX_AGE_SECONDS must be a whole number of seconds from 10 to 86400' },
    problems,
  );
  return { twilioBaseUrl, sendgridPublicKey, sendgridMaxAgeMs: maxAgeSeconds * 1000 };
}
