import type { IntegrationCheckResult } from '@careos/contract';
import type { IntegrationSettings } from '../config/integrations-config.js';
import { scrubPhones } from '../providers/types.js';
import { basicAuth, checkRequest } from './http-check.js';
import { maskId } from './mask.js';
import { missing, notSet, result } from './result.js';

/**
 * Twilio: reads the account (`GET /2010-04-01/Accounts/{SID}.json`, HTTP basic auth), which
 * proves the SID and auth token and tells whether the account is active; a sender
 * (`TWILIO_FROM_NUMBER` or `TWILIO_MESSAGING_SERVICE_SID`) must be set too.
 */
export async function checkTwilio(settings: IntegrationSettings['twilio'], signal: AbortSignal): Promise<IntegrationCheckResult> {
  const { accountSid, authToken, fromNumber, messagingServiceSid } = settings;
  if (!accountSid && !authToken && !fromNumber && !messagingServiceSid) {
    return result('twilio', 'not_configured', 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set: SMS go to the console provider');
  }
  const ids = accountSid ? { account_sid: maskId(accountSid) } : undefined;
  const absent = missing({ TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken });
  if (absent.length) return result('twilio', 'failed', notSet(absent), ids);
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid!)) {
    return result('twilio', 'failed', 'TWILIO_ACCOUNT_SID must be an account SID: AC followed by 32 hex digits (an API key SID SK… is not one)', ids);
  }
  const response = await checkRequest(`${settings.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid!)}.json`, {
    headers: { authorization: basicAuth(accountSid!, authToken!) },
    signal,
  });
  const body = response.body as { status?: unknown; type?: unknown; code?: unknown; message?: unknown };
  if (response.status === 401) return result('twilio', 'failed', `Twilio refused the credentials (${twilioError(body, 401)}): check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN`, ids);
  if (response.status === 404) return result('twilio', 'failed', `Twilio has no such account (${twilioError(body, 404)}): check TWILIO_ACCOUNT_SID`, ids);
  if (response.status !== 200) return result('twilio', 'failed', `Twilio answered ${twilioError(body, response.status)}`, ids);
  if (body.status !== 'active') return result('twilio', 'failed', `The Twilio account is ${typeof body.status === 'string' ? body.status : 'not active'}, not active`, ids);
  if (!fromNumber && !messagingServiceSid) return result('twilio', 'failed', `Account active, but ${notSet(['TWILIO_FROM_NUMBER'])} (nor TWILIO_MESSAGING_SERVICE_SID): no sender`, ids);
  const sender = messagingServiceSid ? `messaging service ${maskId(messagingServiceSid)}` : `from ${fromNumber}`;
  const trial = body.type === 'Trial' ? '; a trial account texts verified numbers only' : '';
  return result('twilio', 'ok', `Account active, ${sender}${trial}`, ids);
}

/**
 * SendGrid: lists the API key's scopes (`GET /v3/scopes`), which proves the key and tells
 * whether it may send mail (`mail.send`); `SENDGRID_FROM_EMAIL` (a verified sender) must be set.
 */
export async function checkSendGrid(settings: IntegrationSettings['sendgrid'], signal: AbortSignal): Promise<IntegrationCheckResult> {
  const { apiKey, fromEmail } = settings;
  if (!apiKey && !fromEmail) return result('sendgrid', 'not_configured', 'SENDGRID_API_KEY is not set: email goes to the console provider');
  if (!apiKey) return result('sendgrid', 'failed', notSet(['SENDGRID_API_KEY']));
  const response = await checkRequest(`${settings.baseUrl}/v3/scopes`, { headers: { authorization: `Bearer ${apiKey}` }, signal });
  if (response.status === 401) return result('sendgrid', 'failed', `SendGrid refused SENDGRID_API_KEY (${sendGridError(response.body, 401)})`);
  if (response.status === 403) return result('sendgrid', 'failed', `SendGrid refused to list the key's scopes (${sendGridError(response.body, 403)})`);
  if (response.status !== 200) return result('sendgrid', 'failed', `SendGrid answered ${sendGridError(response.body, response.status)}`);
  const scopes = Array.isArray(response.body.scopes) ? response.body.scopes : [];
  if (!scopes.includes('mail.send')) return result('sendgrid', 'failed', 'The API key lacks the mail.send scope: give it Mail Send access in SendGrid');
  if (!fromEmail) return result('sendgrid', 'failed', `The API key may send mail, but ${notSet(['SENDGRID_FROM_EMAIL'])} (a verified sender)`);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(fromEmail)) return result('sendgrid', 'failed', 'SENDGRID_FROM_EMAIL is not an email address');
  return result('sendgrid', 'ok', `API key may send mail (mail.send), from ${fromEmail}`);
}

/** "HTTP 401, 20003 Authenticate": Twilio's code and message (they name no secret; numbers are blanked anyway). */
function twilioError(body: { code?: unknown; message?: unknown }, status: number): string {
  const code = typeof body.code === 'number' || typeof body.code === 'string' ? ` ${body.code}` : '';
  const message = typeof body.message === 'string' ? ` ${scrubPhones(body.message).slice(0, 120)}` : '';
  return `HTTP ${status}${code ? `,${code}` : ''}${message}`;
}

/** "HTTP 401, authorization required": the first of SendGrid's `errors[].message`. */
function sendGridError(body: Record<string, unknown>, status: number): string {
  const first = Array.isArray(body.errors) ? (body.errors[0] as { message?: unknown } | undefined) : undefined;
  return typeof first?.message === 'string' ? `HTTP ${status}, ${first.message.slice(0, 120)}` : `HTTP ${status}`;
}
