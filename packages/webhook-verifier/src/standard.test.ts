import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError } from './errors.js';
import { sign, verify } from './standard.js';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const body = JSON.stringify({ type: 'payment.paid', data: { amount: 15 } });
const now = Date.UTC(2026, 10, 20, 12, 0, 0);

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as WebhookVerificationError).code;
  }
  return undefined;
}

describe('Standard Webhooks sign/verify', () => {
  it('round-trips string, Buffer, Uint8Array and ArrayBuffer bodies and Headers objects', () => {
    const headers = sign(secret, body, { id: 'msg_1', timestamp: new Date(now) });
    const bytes = Buffer.from(body);
    expect(verify(body, headers, secret, { now })).toBe(body);
    expect(verify(bytes, headers, secret, { now })).toBe(body);
    expect(verify(new Uint8Array(bytes), new Headers(headers), secret, { now })).toBe(body);
    expect(verify(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), headers, secret, { now })).toBe(body);
  });

  it('interoperates with the standardwebhooks package both ways', () => {
    const theirs = new Webhook(secret);
    const date = new Date();
    const theirSignature = theirs.sign('msg_2', date, body);
    const theirHeaders = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(Math.floor(date.getTime() / 1000)), 'webhook-signature': theirSignature };
    expect(verify(body, theirHeaders, secret)).toBe(body);
    expect(theirs.verify(body, sign(secret, body, { id: 'msg_3' }))).toEqual(JSON.parse(body));
  });

  it('accepts any matching secret and any matching v1 entry (rotation)', () => {
    const old = `whsec_${randomBytes(24).toString('base64')}`;
    const headers = sign(old, body, { id: 'msg_4', timestamp: new Date(now) });
    headers['webhook-signature'] = `v1,AAAA ${headers['webhook-signature']} v2,ignored`;
    expect(verify(body, headers, [secret, old], { now })).toBe(body);
  });

  it('rejects a changed body, a wrong secret, stale or future timestamps and missing headers', () => {
    const headers = sign(secret, body, { id: 'msg_5', timestamp: new Date(now) });
    expect(code(() => verify(`${body} `, headers, secret, { now }))).toBe('NO_MATCHING_SIGNATURE');
    expect(code(() => verify(body, headers, `whsec_${randomBytes(32).toString('base64')}`, { now }))).toBe('NO_MATCHING_SIGNATURE');
    expect(code(() => verify(body, headers, secret, { now: now + 301_000 }))).toBe('TIMESTAMP_TOO_OLD');
    expect(code(() => verify(body, headers, secret, { now: now - 301_000 }))).toBe('TIMESTAMP_TOO_NEW');
    expect(verify(body, headers, secret, { now: now + 299_000 })).toBe(body);
    expect(code(() => verify(body, { ...headers, 'webhook-id': undefined }, secret, { now }))).toBe('MISSING_HEADER');
    expect(code(() => verify(body, { ...headers, 'webhook-timestamp': 'soon' }, secret, { now }))).toBe('INVALID_TIMESTAMP');
  });

  it('explains a parsed body and a badly copied secret', () => {
    const headers = sign(secret, body, { id: 'msg_6', timestamp: new Date(now) });
    expect(() => verify(JSON.parse(body), headers, secret, { now })).toThrow(/express\.raw\(\)/);
    expect(() => verify(body, headers, ` ${secret}`, { now })).toThrow(/whitespace/);
    expect(code(() => verify(body, headers, 'whsec_not base64!', { now }))).toBe('INVALID_SECRET');
  });
});
