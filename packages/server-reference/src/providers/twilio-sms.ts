import type { TwilioConfig } from '../config/server-config.js';
import { ProviderError, type SmsMessage, type SmsProvider, type SmsResult } from './types.js';

/** Options of {@link createTwilioSmsProvider}. */
export interface TwilioSmsOptions extends TwilioConfig {
  /** API origin (default `https://api.twilio.com`). */
  baseUrl?: string;
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number;
}

/**
 * Twilio's Messages API over plain `fetch`: `POST /2010-04-01/Accounts/{sid}/Messages.json`,
 * form-encoded, HTTP basic auth with the account sid and auth token.
 */
export function createTwilioSmsProvider(options: TwilioSmsOptions): SmsProvider {
  const url = `${options.baseUrl ?? 'https://api.twilio.com'}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  return {
    name: 'twilio',
    async send(message: SmsMessage): Promise<SmsResult> {
      const form = new URLSearchParams({ To: message.to, Body: message.body });
      if (options.messagingServiceSid) form.set('MessagingServiceSid', options.messagingServiceSid);
      else if (options.fromNumber) form.set('From', options.fromNumber);
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new ProviderError(`Twilio unreachable: ${(error as Error).name}`);
      }
      const payload = (await response.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string };
      if (!response.ok) {
        const detail = payload.message ? `${payload.code ?? response.status} ${payload.message}` : `HTTP ${response.status}`;
        throw new ProviderError(`Twilio refused the message: ${detail}`, response.status);
      }
      return { providerMessageId: typeof payload.sid === 'string' ? payload.sid : null };
    },
  };
}
