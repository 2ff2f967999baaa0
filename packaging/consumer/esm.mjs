// An ESM consumer of the installed tarballs: each entry point loads and does one real thing.
import assert from 'node:assert/strict';
import CareOS, { APIError, CareOS as NamedCareOS, normalizePhone } from '@careos/sdk';
import { buildOpenApi, hashPhone } from '@careos/contract';
import { createTestHeaders, verify } from '@careos/webhook-verifier';
import { verifyAsync } from '@careos/webhook-verifier/web';
import { webhookMiddleware } from '@careos/webhook-verifier/express';
import { ExitCode, buildProgram } from '@careos/cli';

assert.equal(CareOS, NamedCareOS);
const client = new CareOS({ apiKey: 'key', platform: 'businessos', baseURL: 'http://127.0.0.1:9' });
assert.equal(typeof client.leads.ingest, 'function');
assert.equal(typeof APIError, 'function');
assert.equal(normalizePhone('(415) 555-0100', { defaultCountry: 'US' }), '+14155550100');
assert.equal(hashPhone('+14155550100', 'salt').length, 64);
assert.equal(buildOpenApi().openapi, '3.1.0');

const secret = `whsec_${Buffer.from('an example secret of 32 bytes!!!').toString('base64')}`;
const body = JSON.stringify({ type: 'consent.revoked' });
const headers = createTestHeaders(secret, body, { event: 'consent.revoked' });
assert.equal(verify(body, headers, secret), body);
assert.equal(await verifyAsync(body, headers, secret), body);
assert.equal(typeof webhookMiddleware(secret), 'function');

assert.equal(typeof ExitCode, 'object');
assert.ok((await buildProgram()).commands.length > 0);
await client.close();
console.log('esm consumer ok');
