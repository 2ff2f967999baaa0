import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { implementations, rejection } from './implementations.js';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const otherSecret = `whsec_${randomBytes(32).toString('base64')}`;
const body = JSON.stringify({ type: 'payment.paid', timestamp: '2026-11-20T12:00:00.000Z', amount: 15, note: 'café ✓' });
const now = Date.UTC(2026, 10, 20, 12, 0, 0);
const at = new Date(now);

describe.each(implementations)('$name', (impl) => {
  describe('standard scheme', () => {
    it('round-trips string, Buffer, Uint8Array and ArrayBuffer bodies with plain or Fetch headers', async () => {
      const headers = await impl.sign(secret, body, { id: 'msg_1', timestamp: at });
      const bytes = Buffer.from(body);
      const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      expect(await impl.verify(body, headers, secret, { now })).toBe(body);
      expect(await impl.verify(bytes, headers, secret, { now })).toBe(body);
      expect(await impl.verify(new Uint8Array(bytes), new Headers(headers), secret, { now })).toBe(body);
      expect(await impl.verify(arrayBuffer, headers, secret, { now })).toBe(body);
    });

    it('signs exactly HMAC-SHA256("id.timestamp.body") keyed by the decoded secret', async () => {
      const headers = await impl.sign(secret, body, { id: 'msg_2', timestamp: at });
      const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
      const expected = createHmac('sha256', key).update(`msg_2.${now / 1000}.${body}`).digest('base64');
      expect(headers).toEqual({ 'webhook-id': 'msg_2', 'webhook-timestamp': String(now / 1000), 'webhook-signature': `v1,${expected}` });
    });

    it('hashes byte bodies as they are: bytes that are not UTF-8 still verify, and differ from their decoded text', async () => {
      const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]); // invalid UTF-8 sequences
      const headers = await impl.sign(secret, bytes, { id: 'msg_3', timestamp: at });
      expect(await impl.verify(bytes, headers, secret, { now })).toBe(bytes.toString('utf8'));
      expect(await impl.verify(new Uint8Array(bytes).buffer, headers, secret, { now })).toBe(bytes.toString('utf8'));
      // Decoding and re-encoding replaces the bad bytes, which must break the signature.
      expect((await rejection(impl.verify(bytes.toString('utf8'), headers, secret, { now }))).code).toBe('NO_MATCHING_SIGNATURE');
    });

    it('verifies a byte view into a larger buffer without reading outside it', async () => {
      const backing = Buffer.concat([Buffer.from('garbage-before'), Buffer.from(body), Buffer.from('garbage-after')]);
      const view = backing.subarray('garbage-before'.length, 'garbage-before'.length + Buffer.byteLength(body));
      const headers = await impl.sign(secret, body, { id: 'msg_4', timestamp: at });
      expect(await impl.verify(view, headers, secret, { now })).toBe(body);
    });

    it('accepts any matching secret during a rotation and any matching v1 entry, ignoring other versions', async () => {
      const headers = await impl.sign(otherSecret, body, { id: 'msg_5', timestamp: at });
      const several = { ...headers, 'webhook-signature': `v1a,${'A'.repeat(44)} v1,AAAA ${headers['webhook-signature']} v2,ignored` };
      expect(await impl.verify(body, several, [secret, otherSecret], { now })).toBe(body);
      expect((await rejection(impl.verify(body, several, [secret], { now }))).code).toBe('NO_MATCHING_SIGNATURE');
    });

    it('reads repeated webhook-signature headers (array form and Node\'s comma-joined form)', async () => {
      const headers = await impl.sign(secret, body, { id: 'msg_6', timestamp: at });
      const stale = (await impl.sign(otherSecret, body, { id: 'msg_6', timestamp: at }))['webhook-signature'];
      expect(await impl.verify(body, { ...headers, 'webhook-signature': [stale, headers['webhook-signature']] }, secret, { now })).toBe(body);
      expect(await impl.verify(body, { ...headers, 'webhook-signature': `${stale}, ${headers['webhook-signature']}` }, secret, { now })).toBe(body);
    });

    it('finds headers in any letter case', async () => {
      const headers = await impl.sign(secret, body, { id: 'msg_7', timestamp: at });
      const shouted = { 'Webhook-Id': headers['webhook-id'], 'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'], 'Webhook-Signature': headers['webhook-signature'] };
      expect(await impl.verify(body, shouted, secret, { now })).toBe(body);
    });

    it('rejects a changed body, id or timestamp, and a wrong secret, saying which two causes to check', async () => {
      const headers = await impl.sign(secret, body, { id: 'msg_8', timestamp: at });
      const changedBody = await rejection(impl.verify(body.replace('15', '16'), headers, secret, { now }));
      expect(changedBody.code).toBe('NO_MATCHING_SIGNATURE');
      expect(changedBody.message).toMatch(/secret is wrong.*body was changed/s);
      expect((await rejection(impl.verify(body, { ...headers, 'webhook-id': 'msg_other' }, secret, { now }))).code).toBe('NO_MATCHING_SIGNATURE');
      expect((await rejection(impl.verify(body, { ...headers, 'webhook-timestamp': String(now / 1000 + 1) }, secret, { now }))).code).toBe('NO_MATCHING_SIGNATURE');
      expect((await rejection(impl.verify(body, headers, otherSecret, { now }))).code).toBe('NO_MATCHING_SIGNATURE');
    });

    it('treats truncated, overlong and non-base64 signatures as non-matching instead of throwing', async () => {
      const headers = await impl.sign(secret, body, { id: 'msg_9', timestamp: at });
      const good = headers['webhook-signature'];
      for (const bad of [good.slice(0, 20), `${good}AAAA`, 'v1,', 'v1,***not base64***', `v1,${Buffer.alloc(31).toString('base64')}`]) {
        expect((await rejection(impl.verify(body, { ...headers, 'webhook-signature': bad }, secret, { now }))).code).toBe('NO_MATCHING_SIGNATURE');
      }
    });

    it('says when webhook-signature has no v1 entry at all', async () => {
      const headers = await impl.sign(secret, body, { id: 'msg_10', timestamp: at });
      const error = await rejection(impl.verify(body, { ...headers, 'webhook-signature': 'v2,abc v1a,def' }, secret, { now }));
      expect(error.code).toBe('NO_V1_SIGNATURE');
      expect(error.message).toContain('v1,<base64>');
    });

    it('checks the tolerance in both directions, saying by how much, and honours a custom tolerance', async () => {
      const headers = await impl.sign(secret, body, { id: 'msg_11', timestamp: at });
      const old = await rejection(impl.verify(body, headers, secret, { now: now + 432_000 }));
      expect(old.code).toBe('TIMESTAMP_TOO_OLD');
      expect(old.message).toContain('signed 7m 12s ago');
      expect(old.message).toContain('2m 12s beyond the 5m tolerance');
      const future = await rejection(impl.verify(body, headers, secret, { now: now - 301_000 }));
      expect(future.code).toBe('TIMESTAMP_TOO_NEW');
      expect(future.message).toContain('5m 1s in the future');
      expect(future.message).toContain('clock');
      expect(await impl.verify(body, headers, secret, { now: now + 300_999 })).toBe(body);
      expect(await impl.verify(body, headers, secret, { now: now - 300_000 })).toBe(body);
      expect((await rejection(impl.verify(body, headers, secret, { now: now + 11_000, toleranceSeconds: 10 }))).code).toBe('TIMESTAMP_TOO_OLD');
      expect(await impl.verify(body, headers, secret, { now: new Date(now + 3_600_000), toleranceSeconds: 3_600 })).toBe(body);
      await expect(impl.verify(body, headers, secret, { now, toleranceSeconds: -1 })).rejects.toThrow(RangeError);
    });

    it('checks the tolerance before the signature, so a replay of a once-valid delivery fails as too old', async () => {
      const headers = await impl.sign(secret, body, { id: 'msg_12', timestamp: new Date(Date.now() - 3_600_000) });
      expect((await rejection(impl.verify(body, headers, secret))).code).toBe('TIMESTAMP_TOO_OLD');
    });

    it('rejects a timestamp that is not Unix seconds', async () => {
      const headers = await impl.sign(secret, body, { id: 'msg_13', timestamp: at });
      for (const value of ['soon', '2026-11-20T12:00:00Z', String(now), '-5', '1.5']) {
        expect((await rejection(impl.verify(body, { ...headers, 'webhook-timestamp': value }, secret, { now }))).code, value).toMatch(/INVALID_TIMESTAMP|TIMESTAMP_TOO_NEW/);
      }
      expect((await rejection(impl.verify(body, { ...headers, 'webhook-timestamp': 'soon' }, secret, { now }))).message).toContain('Unix time in seconds');
    });

    it('names the missing headers, and points to the legacy scheme when only legacy headers came', async () => {
      const headers = await impl.createTestHeaders(secret, body, { event: 'payment.paid', id: 'msg_14', timestamp: at });
      const noId = await rejection(impl.verify(body, { ...headers, 'webhook-id': undefined }, secret, { now }));
      expect(noId.code).toBe('MISSING_HEADER');
      expect(noId.message).toContain('Missing the webhook-id header');
      const legacyOnly = await rejection(
        impl.verify(body, { 'x-careos-signature': headers['x-careos-signature'], 'x-careos-timestamp': headers['x-careos-timestamp'] }, secret, { now }),
      );
      expect(legacyOnly.message).toContain('webhook-id, webhook-timestamp, webhook-signature headers');
      expect(legacyOnly.message).toContain("scheme: 'legacy'");
      expect((await rejection(impl.verify(body, {}, secret, { now }))).message).toContain('no proxy strips headers');
    });

    it('reports a bad secret before anything about the delivery, and never echoes the secret', async () => {
      const cases: [string, string][] = [
        [` ${secret}`, 'SECRET_WHITESPACE'],
        [`${secret}\n`, 'SECRET_WHITESPACE'],
        [`v1,${secret}`, 'SECRET_HAS_V1_PREFIX'],
        ['whsec_not base64!', 'SECRET_WHITESPACE'],
        ['whsec_not-base64!', 'INVALID_SECRET'],
        ['', 'INVALID_SECRET'],
      ];
      for (const [bad, code] of cases) {
        const error = await rejection(impl.verify(body, {}, bad, { now }));
        expect(error.code, JSON.stringify(bad)).toBe(code);
        if (bad.length > 10) expect(error.message).not.toContain(bad.trim());
      }
      expect((await rejection(impl.verify(body, {}, undefined as unknown as string, { now }))).message).toContain('CAREOS_WEBHOOK_SECRET');
      expect((await rejection(impl.verify(body, {}, [], { now }))).code).toBe('INVALID_SECRET');
      // A good first secret does not hide a mangled second one.
      expect((await rejection(impl.verify(body, {}, [secret, `${otherSecret} `], { now }))).code).toBe('SECRET_WHITESPACE');
    });

    it('explains a body already parsed by express.json() before anything else', async () => {
      const headers = await impl.sign(secret, body, { id: 'msg_15', timestamp: at });
      const error = await rejection(impl.verify(JSON.parse(body) as never, headers, ' bad secret', { now }));
      expect(error.code).toBe('PAYLOAD_PARSED');
      expect(error.message).toContain('express.json()');
      expect(error.message).toContain("express.raw({ type: 'application/json' })");
      expect((await rejection(impl.verify(undefined as never, headers, secret, { now }))).code).toBe('INVALID_PAYLOAD');
      expect((await rejection(impl.verify(42 as never, headers, secret, { now }))).message).toContain('got a number');
    });

    it('verifyWebhook parses the event and reports id, type, time and scheme', async () => {
      const headers = await impl.sign(secret, body, { id: 'msg_16', timestamp: at });
      const verified = await impl.verifyWebhook<{ amount: number }>(Buffer.from(body), headers, secret, { now });
      expect(verified).toEqual({ event: JSON.parse(body), body, id: 'msg_16', type: 'payment.paid', timestamp: at, scheme: 'standard' });
      expect(verified.event.amount).toBe(15);
      const notJson = await impl.sign(secret, 'plain text', { id: 'msg_17', timestamp: at });
      const error = await rejection(impl.verifyWebhook('plain text', notJson, secret, { now }));
      expect(error.code).toBe('INVALID_JSON');
      expect(error.message).toContain('use verify()');
    });
  });

  describe('legacy scheme', () => {
    it('signs the hex HMAC-SHA256 of the body keyed by the secret string, prefix included', async () => {
      const headers = await impl.signLegacy(secret, body, { event: 'payment.paid', timestamp: at });
      expect(headers).toEqual({
        'x-careos-signature': createHmac('sha256', secret).update(body).digest('hex'),
        'x-careos-timestamp': at.toISOString(),
        'x-careos-event': 'payment.paid',
      });
    });

    it('verifies with verifyLegacy or scheme: legacy, on string and byte bodies', async () => {
      const headers = await impl.signLegacy(secret, body, { event: 'payment.paid', timestamp: at });
      expect(await impl.verifyLegacy(body, headers, secret, { now })).toBe(body);
      expect(await impl.verify(Buffer.from(body), headers, secret, { now, scheme: 'legacy' })).toBe(body);
      const verified = await impl.verifyWebhook(body, new Headers(headers), [otherSecret, secret], { now, scheme: 'legacy' });
      expect(verified).toMatchObject({ id: undefined, type: 'payment.paid', timestamp: at, scheme: 'legacy' });
    });

    it("accepts the seed's X-LoveRescue-* names, preferring X-CareOS-* when both are present", async () => {
      const good = await impl.signLegacy(secret, body, { event: 'payment.paid', timestamp: at });
      const seedNames = { 'X-LoveRescue-Signature': good['x-careos-signature'], 'X-LoveRescue-Timestamp': good['x-careos-timestamp'], 'X-LoveRescue-Event': 'payment.paid' };
      expect(await impl.verifyLegacy(body, seedNames, secret, { now })).toBe(body);
      const bad = { ...seedNames, 'X-CareOS-Signature': 'f'.repeat(64), 'X-CareOS-Timestamp': good['x-careos-timestamp'] };
      expect((await rejection(impl.verifyLegacy(body, bad, secret, { now }))).code).toBe('NO_MATCHING_SIGNATURE');
      const careosWins = { 'x-loverescue-signature': 'f'.repeat(64), 'x-loverescue-timestamp': good['x-careos-timestamp'], ...good };
      expect(await impl.verifyLegacy(body, careosWins, secret, { now })).toBe(body);
    });

    it('takes the type from the signed body before the unsigned X-CareOS-Event header', async () => {
      const headers = await impl.signLegacy(secret, body, { event: 'alert.critical', timestamp: at });
      expect((await impl.verifyWebhook(body, headers, secret, { now, scheme: 'legacy' })).type).toBe('payment.paid');
      const untyped = JSON.stringify({ amount: 1 });
      const untypedHeaders = await impl.signLegacy(secret, untyped, { event: 'alert.critical', timestamp: at });
      expect((await impl.verifyWebhook(untyped, untypedHeaders, secret, { now, scheme: 'legacy' })).type).toBe('alert.critical');
    });

    it('checks the tolerance against X-CareOS-Timestamp in both directions', async () => {
      const headers = await impl.signLegacy(secret, body, { event: 'payment.paid', timestamp: at });
      const old = await rejection(impl.verifyLegacy(body, headers, secret, { now: now + 3 * 3_600_000 }));
      expect(old.code).toBe('TIMESTAMP_TOO_OLD');
      expect(old.message).toContain('3h 0m ago');
      expect(old.message).toContain('X-CareOS-Timestamp');
      expect((await rejection(impl.verifyLegacy(body, headers, secret, { now: now - 301_000 }))).code).toBe('TIMESTAMP_TOO_NEW');
      expect(await impl.verifyLegacy(body, headers, secret, { now: now + 300_000 })).toBe(body);
      for (const value of ['yesterday', '2026-11-20 12:00:00', '2026-11-20T12:00:00', String(now)]) {
        expect((await rejection(impl.verifyLegacy(body, { ...headers, 'x-careos-timestamp': value }, secret, { now }))).code, value).toBe('INVALID_TIMESTAMP');
      }
      expect(await impl.verifyLegacy(body, { ...headers, 'x-careos-timestamp': '2026-11-20T13:00:00+01:00' }, secret, { now })).toBe(body);
    });

    it('rejects a wrong secret, a changed body and a garbled signature without throwing on length', async () => {
      const headers = await impl.signLegacy(secret, body, { event: 'payment.paid', timestamp: at });
      expect((await rejection(impl.verifyLegacy(body, headers, otherSecret, { now }))).code).toBe('NO_MATCHING_SIGNATURE');
      expect((await rejection(impl.verifyLegacy(`${body} `, headers, secret, { now }))).code).toBe('NO_MATCHING_SIGNATURE');
      const short = await rejection(impl.verifyLegacy(body, { ...headers, 'x-careos-signature': headers['x-careos-signature'].slice(2) }, secret, { now }));
      expect(short.code).toBe('NO_MATCHING_SIGNATURE');
      expect(short.message).toContain('64 hex characters');
      // Upper-case hex is the same signature.
      expect(await impl.verifyLegacy(body, { ...headers, 'x-careos-signature': headers['x-careos-signature'].toUpperCase() }, secret, { now })).toBe(body);
    });

    it('names the missing legacy headers under both names, and points back to the standard scheme', async () => {
      const headers = await impl.createTestHeaders(secret, body, { event: 'payment.paid', timestamp: at });
      const error = await rejection(impl.verifyLegacy(body, { ...headers, 'x-careos-signature': undefined }, secret, { now }));
      expect(error.code).toBe('MISSING_HEADER');
      expect(error.message).toContain('X-CareOS-Signature (or X-LoveRescue-Signature)');
      expect(error.message).toContain("drop scheme: 'legacy'");
      expect((await rejection(impl.verifyLegacy(body, {}, secret, { now }))).message).toContain('X-CareOS-Signature (or X-LoveRescue-Signature) and X-CareOS-Timestamp');
    });
  });

  describe('createTestHeaders', () => {
    it('returns both header sets, each verifiable, from one secret', async () => {
      const headers = await impl.createTestHeaders(secret, body, { event: 'payment.paid', id: 'msg_18', timestamp: at });
      expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp', 'x-careos-event', 'x-careos-signature', 'x-careos-timestamp']);
      expect(headers['webhook-id']).toBe('msg_18');
      expect(headers['x-careos-event']).toBe('payment.paid');
      expect(await impl.verify(body, headers, secret, { now })).toBe(body);
      expect(await impl.verify(body, headers, secret, { now, scheme: 'legacy' })).toBe(body);
    });

    it('makes a fresh msg_ id and the current time when they are omitted', async () => {
      const first = await impl.createTestHeaders(secret, body, { event: 'payment.paid' });
      const second = await impl.createTestHeaders(secret, body, { event: 'payment.paid' });
      expect(first['webhook-id']).toMatch(/^msg_[0-9a-f-]{36}$/);
      expect(first['webhook-id']).not.toBe(second['webhook-id']);
      expect(Math.abs(Number(first['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
      expect(await impl.verify(body, first, secret)).toBe(body);
    });
  });
});
