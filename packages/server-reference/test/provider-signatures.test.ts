import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSendGridPublicKey, SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER, verifySendGridSignature } from '../src/providers/sendgrid-signature.js';
import { computeTwilioSignature, verifyTwilioSignature } from '../src/providers/twilio-signature.js';
import { createTwilioSmsProvider } from '../src/providers/twilio-sms.js';
import { generateEventWebhookKeys, startFakeSendGrid, type FakeSendGrid } from './fakes/sendgrid.js';
import { startFakeTwilio, type FakeTwilio } from './fakes/twilio.js';

// Twilio's published example (the auth token 12345 and a voice request).
const TWILIO_EXAMPLE = {
  token: '12345',
  url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
  params: { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' },
  signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
};
// SendGrid's published Event Webhook example.
const SENDGRID_EXAMPLE = {
  publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==',
  payload: '{"category":"example_payload","event":"test_event","message_id":"message_id"}',
  signature: 'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=',
  timestamp: '1588788367',
};

describe('X-Twilio-Signature', () => {
  const { token, url, params, signature } = TWILIO_EXAMPLE;

  it("matches Twilio's published example and verifies it", () => {
    expect(computeTwilioSignature(token, url, params)).toBe(signature);
    expect(verifyTwilioSignature(token, url, new URLSearchParams(params), signature)).toBe(true);
  });

  it('refuses a tampered parameter, an added parameter, a tampered URL, another token or no signature', () => {
    expect(verifyTwilioSignature(token, url, { ...params, Digits: '1235' }, signature)).toBe(false);
    expect(verifyTwilioSignature(token, url, { ...params, Extra: '' }, signature)).toBe(false);
    expect(verifyTwilioSignature(token, url.replace('foo=1', 'foo=2'), params, signature)).toBe(false);
    // What the server sees behind a TLS-terminating proxy is not what Twilio signed.
    expect(verifyTwilioSignature(token, url.replace('https://', 'http://'), params, signature)).toBe(false);
    expect(verifyTwilioSignature(token, 'https://internal:8080/myapp.php?foo=1&bar=2', params, signature)).toBe(false);
    expect(verifyTwilioSignature('54321', url, params, signature)).toBe(false);
    expect(verifyTwilioSignature(token, url, params, undefined)).toBe(false);
    expect(verifyTwilioSignature(token, url, params, 'short')).toBe(false);
  });

  it('accepts the URL with or without the default port, as Twilio signs either', () => {
    const withPort = computeTwilioSignature(token, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', params);
    expect(verifyTwilioSignature(token, url, params, withPort)).toBe(true);
    expect(verifyTwilioSignature(token, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', params, signature)).toBe(true);
  });

  it('sorts repeated parameters by value', () => {
    const a = computeTwilioSignature(token, url, { MediaUrl: ['b', 'a'] });
    expect(a).toBe(computeTwilioSignature(token, url, new URLSearchParams([['MediaUrl', 'a'], ['MediaUrl', 'b']])));
  });
});

describe('SendGrid Event Webhook signature', () => {
  const { publicKey, payload, signature, timestamp } = SENDGRID_EXAMPLE;
  const at = (seconds: number) => () => seconds * 1000;

  it("verifies SendGrid's published example within the tolerance", () => {
    expect(verifySendGridSignature(publicKey, payload, signature, timestamp, { now: at(1588788367 + 60) })).toEqual({ ok: true });
    expect(verifySendGridSignature(parseSendGridPublicKey(publicKey), Buffer.from(payload), signature, timestamp, { now: at(1588788367) })).toEqual({ ok: true });
  });

  it('refuses a tampered body, a tampered timestamp, a stale or future timestamp and missing headers', () => {
    const now = at(1588788367);
    expect(verifySendGridSignature(publicKey, payload.replace('test_event', 'test_evenT'), signature, timestamp, { now })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySendGridSignature(publicKey, payload, signature, '1588788368', { now })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySendGridSignature(publicKey, payload, signature, timestamp, { now: at(1588788367 + 301) })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifySendGridSignature(publicKey, payload, signature, timestamp, { now: at(1588788367 - 301) })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifySendGridSignature(publicKey, payload, signature, timestamp, { now: at(1588788367 + 20), toleranceMs: 10_000 })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifySendGridSignature(publicKey, payload, signature, 'timestamp', { now })).toEqual({ ok: false, reason: 'bad_timestamp' });
    expect(verifySendGridSignature(publicKey, payload, undefined, timestamp, { now })).toEqual({ ok: false, reason: 'missing_headers' });
    expect(verifySendGridSignature(publicKey, payload, 'bm90IGEgc2lnbmF0dXJl', timestamp, { now })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a key that is not an EC public key', () => {
    expect(() => parseSendGridPublicKey('bm90IGEga2V5')).toThrow();
  });
});

describe('callback signing helpers of the fakes', () => {
  let twilio: FakeTwilio;
  let sendgrid: FakeSendGrid;
  let received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  let receiverUrl = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });

  beforeAll(async () => {
    [twilio, sendgrid] = await Promise.all([startFakeTwilio(), startFakeSendGrid()]);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await Promise.all([twilio.close(), sendgrid.close()]);
  });

  it('posts a signed Twilio status callback, verifiable against the public URL only', async () => {
    const publicUrl = 'https://careos.example/webhooks/twilio/status';
    const sms = createTwilioSmsProvider({ accountSid: twilio.accountSid, authToken: twilio.authToken, fromNumber: '+15005550006', messagingServiceSid: null, baseUrl: twilio.url, statusCallbackUrl: publicUrl });
    const { providerMessageId } = await sms.send({ id: 'msg_cb', to: '+14155550142', body: 'Hi' });
    received = [];
    expect(await twilio.setStatus(providerMessageId!, 'delivered', { postTo: `${receiverUrl}/webhooks/twilio/status` })).toBe(204);
    const [callback] = received;
    const params = new URLSearchParams(callback!.body);
    expect(Object.fromEntries(params)).toMatchObject({ MessageSid: providerMessageId, MessageStatus: 'delivered', AccountSid: twilio.accountSid });
    const signature = callback!.headers['x-twilio-signature'] as string;
    expect(verifyTwilioSignature(twilio.authToken, publicUrl, params, signature)).toBe(true);
    expect(verifyTwilioSignature(twilio.authToken, `${receiverUrl}/webhooks/twilio/status`, params, signature)).toBe(false);
    expect(twilio.messages[0]!.status).toBe('delivered');
  });

  it('signs inbound messages', () => {
    const inbound = twilio.signedInboundMessage('https://careos.example/webhooks/twilio/inbound', { from: '+14155550142', to: '+15005550006', body: 'STOP' });
    expect(inbound.params).toMatchObject({ Body: 'STOP', From: '+14155550142', SmsStatus: 'received' });
    expect(verifyTwilioSignature(twilio.authToken, inbound.url, new URLSearchParams(inbound.body), inbound.headers['x-twilio-signature'])).toBe(true);
  });

  it('signs SendGrid events that verify with the public key as the settings page shows it', async () => {
    const keys = generateEventWebhookKeys();
    const signed = keys.signEvents([{ email: 'a@example.org', event: 'delivered', sg_event_id: 'e1', sg_message_id: 'm1', timestamp: 1 }]);
    expect(verifySendGridSignature(keys.publicKey, signed.body, signed.headers[SENDGRID_SIGNATURE_HEADER], signed.headers[SENDGRID_TIMESTAMP_HEADER])).toEqual({ ok: true });
    expect(verifySendGridSignature(keys.publicKey, signed.body.replace('delivered', 'bounce'), signed.headers[SENDGRID_SIGNATURE_HEADER], signed.headers[SENDGRID_TIMESTAMP_HEADER])).toEqual({ ok: false, reason: 'bad_signature' });
    const old = keys.signEvents('[]', Math.floor(Date.now() / 1000) - 600);
    expect(verifySendGridSignature(keys.publicKey, old.body, old.headers[SENDGRID_SIGNATURE_HEADER], old.headers[SENDGRID_TIMESTAMP_HEADER])).toEqual({ ok: false, reason: 'stale_timestamp' });

    received = [];
    const event = { email: 'b@example.org', event: 'delivered', sg_event_id: 'e2', sg_message_id: 'm2', timestamp: 2 };
    expect(await sendgrid.postEvents(`${receiverUrl}/webhooks/sendgrid`, [event])).toBe(204);
    const [post] = received;
    expect(verifySendGridSignature(sendgrid.webhookKeys.publicKey, post!.body, post!.headers[SENDGRID_SIGNATURE_HEADER] as string, post!.headers[SENDGRID_TIMESTAMP_HEADER] as string)).toEqual({ ok: true });
  });
});
