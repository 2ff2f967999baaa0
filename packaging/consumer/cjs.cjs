// A CommonJS consumer of the installed tarballs. `require('@careos/sdk')` is the client
// constructor itself, with every named export on it.
const assert = require('node:assert/strict');
const CareOS = require('@careos/sdk');
const { APIError, CareOS: NamedCareOS, normalizePhone } = require('@careos/sdk');
const { buildOpenApi } = require('@careos/contract');
const { createTestHeaders, verify } = require('@careos/webhook-verifier');
const { verifyAsync } = require('@careos/webhook-verifier/web');
const { webhookMiddleware } = require('@careos/webhook-verifier/express');

async function main() {
  assert.equal(typeof CareOS, 'function');
  assert.equal(CareOS, NamedCareOS);
  assert.equal(CareOS.default, CareOS);
  assert.equal(typeof APIError, 'function');
  const client = new CareOS({ apiKey: 'key', platform: 'businessos', baseURL: 'http://127.0.0.1:9' });
  assert.ok(client instanceof NamedCareOS);
  assert.equal(normalizePhone('(415) 555-0100', { defaultCountry: 'US' }), '+14155550100');
  assert.equal(buildOpenApi().openapi, '3.1.0');

  const secret = `whsec_${Buffer.from('an example secret of 32 bytes!!!').toString('base64')}`;
  const body = JSON.stringify({ type: 'consent.revoked' });
  const headers = createTestHeaders(secret, body, { event: 'consent.revoked' });
  assert.equal(verify(body, headers, secret), body);
  assert.equal(await verifyAsync(body, headers, secret), body);
  assert.equal(typeof webhookMiddleware(secret), 'function');

  // The CLI ships ESM only; Node >= 22.12 loads it from require() all the same.
  assert.equal(typeof require('@careos/cli').buildProgram, 'function');
  await client.close();
  console.log('cjs consumer ok');
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
