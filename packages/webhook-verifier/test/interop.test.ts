// Interoperability with the public `standardwebhooks` package in both directions, on both
// paths, and with the seed's own receiver snippet for the legacy scheme.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { implementations } from './implementations.js';
import { verifySignature } from './seed-snippet.js';

const body = JSON.stringify({ type: 'alert.created', timestamp: new Date().toISOString(), alert_id: 'al_1', note: 'Zoë ✓' });

describe.each(implementations)('$name', (impl) => {
  // A fresh secret per path, unpadded for one of them, so that both base64 forms are exercised.
  const secret = impl.name.startsWith('node') ? `whsec_${randomBytes(32).toString('base64')}` : `whsec_${randomBytes(32).toString('base64').replace(/=+$/, '')}`;

  it('verifies what standardwebhooks signs', async () => {
    const theirs = new Webhook(secret);
    const date = new Date();
    const headers = { 'webhook-id': 'msg_theirs', 'webhook-timestamp': String(Math.floor(date.getTime() / 1000)), 'webhook-signature': theirs.sign('msg_theirs', date, body) };
    expect(await impl.verify(body, headers, secret)).toBe(body);
    expect(await impl.verify(Buffer.from(body), headers, secret)).toBe(body);
  });

  it('signs what standardwebhooks verifies, and what it rejects once changed', async () => {
    const theirs = new Webhook(secret);
    const headers = await impl.sign(secret, body, { id: 'msg_ours' });
    expect(theirs.verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => theirs.verify(body.replace('al_1', 'al_2'), headers)).toThrow('No matching signature found');
  });

  it("produces legacy signatures the seed's verifySignature snippet accepts", async () => {
    const headers = await impl.signLegacy(secret, body, { event: 'alert.created' });
    expect(verifySignature(body, headers['x-careos-signature'], secret)).toBe(true);
    expect(verifySignature(Buffer.from(body), headers['x-careos-signature'], secret)).toBe(true);
    expect(verifySignature(`${body} `, headers['x-careos-signature'], secret)).toBe(false);
    expect(await impl.verifyLegacy(body, headers, secret)).toBe(body);
  });
});

describe('node and web paths', () => {
  it('produce identical headers for the same input', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const timestamp = new Date(Date.UTC(2026, 0, 8));
    const [node, web] = await Promise.all(implementations.map((impl) => impl.createTestHeaders(secret, Buffer.from(body), { event: 'alert.created', id: 'msg_same', timestamp })));
    expect(web).toEqual(node);
  });
});
