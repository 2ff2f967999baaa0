import type { ServerConfig } from '../config/server-config.js';
import type { Providers } from '../providers/types.js';

/**
 * Settings that start but are unsafe together, one line each (no values, no secrets), for the
 * server to log as warnings at start:
 * - a HIPAA (BAA) flag on while that channel has no real provider: the flag then promises nothing;
 * - `SENDGRID_HIPAA_ENABLED` on at all: SendGrid's own documentation says it is not HIPAA compliant;
 * - a HIPAA flag on in production without `CAREOS_PUBLIC_URL`: delivery status callbacks are
 *   signed over the public URL, so behind a proxy they could not be verified;
 * - in production, a provider API origin over plain http to a non-loopback host (credentials
 *   would cross the network unencrypted);
 * - a calendar OAuth redirect URI over plain http in production;
 * - the sandbox calendar on in production: anyone with a staff account could connect a
 *   calendar that is not one.
 */
export function unsafeSettingWarnings(config: Pick<ServerConfig, 'mode' | 'integrations'>, providers: Pick<Providers, 'sms' | 'email'>): string[] {
  const { integrations: s, mode } = config;
  const warnings: string[] = [];
  if (s.twilio.hipaaEnabled && providers.sms.name === 'console') {
    warnings.push('TWILIO_HIPAA_ENABLED is on but SMS go to the console provider (TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN unset): the flag has no provider to vouch for');
  }
  if (s.sendgrid.hipaaEnabled && providers.email.name === 'console') {
    warnings.push('SENDGRID_HIPAA_ENABLED is on but email goes to the console provider (SENDGRID_API_KEY unset): the flag has no provider to vouch for');
  }
  if (s.sendgrid.hipaaEnabled) {
    warnings.push('SENDGRID_HIPAA_ENABLED is on: SendGrid states it is not HIPAA compliant; turn it on only under a signed agreement that covers PHI in email');
  }
  if (mode === 'production' && (s.twilio.hipaaEnabled || s.sendgrid.hipaaEnabled) && s.publicUrl === null) {
    warnings.push('A HIPAA flag is on in production but CAREOS_PUBLIC_URL is not set: delivery status callbacks cannot be verified behind a proxy');
  }
  if (mode === 'production' && s.calendarSandbox) {
    warnings.push('CAREOS_CALENDAR_SANDBOX is on in production: the sandbox calendar provider (a local stand-in for Google) is served and offered to staff');
  }
  if (mode === 'production') {
    const origins: [string, string][] = [
      ['TWILIO_API_BASE_URL', s.twilio.baseUrl],
      ['SENDGRID_API_BASE_URL', s.sendgrid.baseUrl],
      ['GOOGLE_OAUTH_BASE_URL', s.google.baseUrl],
      ['MICROSOFT_LOGIN_BASE_URL', s.microsoft.baseUrl],
      ['OPENAI_BASE_URL', s.openai.baseUrl],
      ['STRIPE_API_BASE_URL', s.stripe.baseUrl],
    ];
    for (const [name, url] of origins) {
      if (isPlainHttpRemote(url)) warnings.push(`${name} is plain http to a non-loopback host in production: credentials would cross the network unencrypted`);
    }
    for (const [name, url] of [['GOOGLE_REDIRECT_URI', s.google.redirectUri], ['MICROSOFT_REDIRECT_URI', s.microsoft.redirectUri]] as const) {
      if (url !== null && isPlainHttpRemote(url)) warnings.push(`${name} is plain http in production: authorization codes would cross the network unencrypted`);
    }
  }
  return warnings;
}

function isPlainHttpRemote(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) && !url.hostname.startsWith('127.');
  } catch {
    return false;
  }
}
