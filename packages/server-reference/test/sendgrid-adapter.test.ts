import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSendGridEmailProvider, SENDGRID_UNKNOWN_DELIVERY, type SendGridEmailOptions } from '../src/providers/sendgrid-email.js';
import type { EmailBatch, EmailProvider } from '../src/providers/types.js';
import { startFakeSendGrid, type FakeSendGrid } from './fakes/sendgrid.js';

let fake: FakeSendGrid;
let sleeps: number[];

beforeAll(async () => {
  fake = await startFakeSendGrid();
});
afterEach(() => {
  fake.reset();
  fake.activity = 'enabled';
});
afterAll(() => fake.close());

const provider = (overrides: Partial<SendGridEmailOptions> = {}): EmailProvider => {
  sleeps = [];
  return createSendGridEmailProvider({
    apiKey: fake.apiKey,
    fromEmail: 'care@clinic.example',
    fromName: 'Sunrise Clinic',
    baseUrl: fake.url,
    timeoutMs: 300,
    ...overrides,
    retry: { sleep: async (ms) => void sleeps.push(ms), ...overrides.retry },
  });
};
const routes = () => fake.requests.map((r) => r.route);
const recipients = (n: number, prefix = 'client') => Array.from({ length: n }, (_, i) => ({ messageId: `msg_${prefix}_${i}`, to: `${prefix}.${i}@example.org` }));
const textBatch = (n: number): EmailBatch => ({ content: { subject: 'Your appointment', text: 'See you tomorrow at 10.', templateId: null }, recipients: recipients(n) });

describe('SendGrid email adapter against the fake SendGrid', () => {
  it('sends one personalization per recipient with its message id, the sender and the text', async () => {
    const outcomes = await provider().send(textBatch(2));
    expect(fake.sends).toHaveLength(1);
    const [{ body, xMessageId }] = fake.sends as [{ body: Record<string, unknown>; xMessageId: string }];
    expect(body).toMatchObject({
      from: { email: 'care@clinic.example', name: 'Sunrise Clinic' },
      subject: 'Your appointment',
      content: [{ type: 'text/plain', value: 'See you tomorrow at 10.' }],
      personalizations: [
        { to: [{ email: 'client.0@example.org' }], custom_args: { careos_message_id: 'msg_client_0' } },
        { to: [{ email: 'client.1@example.org' }], custom_args: { careos_message_id: 'msg_client_1' } },
      ],
    });
    expect(outcomes).toEqual([
      { ok: true, providerMessageId: xMessageId },
      { ok: true, providerMessageId: xMessageId },
    ]);
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(fake.emails.map((e) => e.customArgs.careos_message_id)).toEqual(['msg_client_0', 'msg_client_1']);
  });

  it('sends a template with per-recipient dynamic data and no content', async () => {
    const templateId = `d-${'a'.repeat(32)}`;
    await provider().send({
      content: { subject: null, text: null, templateId },
      recipients: [{ messageId: 'msg_t', to: 'pat@example.org', dynamicData: { first_name: 'Pat' } }],
    });
    expect(fake.emails).toEqual([expect.objectContaining({ templateId, dynamicTemplateData: { first_name: 'Pat' }, text: null })]);
    expect(fake.sends[0]!.body).not.toHaveProperty('content');
  });

  it('splits 1,001 recipients into requests of 1,000 and 1 and returns 1,001 outcomes in order', async () => {
    const outcomes = await provider().send(textBatch(1001));
    expect(fake.sends.map((s) => (s.body.personalizations as unknown[]).length)).toEqual([1000, 1]);
    expect(outcomes).toHaveLength(1001);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(outcomes[999]).toEqual({ ok: true, providerMessageId: fake.sends[0]!.xMessageId });
    expect(outcomes[1000]).toEqual({ ok: true, providerMessageId: fake.sends[1]!.xMessageId });
    expect(fake.emails).toHaveLength(1001);
  });

  it('fails every recipient on a 401, with a reason free of addresses, without retrying', async () => {
    const outcomes = await provider({ apiKey: 'SG.wrong' }).send(textBatch(3));
    expect(routes()).toEqual(['send']);
    expect(outcomes).toEqual(Array(3).fill({ ok: false, error: 'SendGrid refused the request: 401 The provided authorization grant is invalid, expired, or revoked' }));
  });

  it('fails only the recipients a 400 blames and sends the others', async () => {
    const batch = textBatch(3);
    batch.recipients[1]!.to = 'not-an-address';
    const outcomes = await provider().send(batch);
    expect(routes()).toEqual(['send', 'send']);
    expect(fake.emails.map((e) => e.to)).toEqual(['client.0@example.org', 'client.2@example.org']);
    expect(outcomes[0]).toMatchObject({ ok: true });
    expect(outcomes[1]).toEqual({ ok: false, error: 'SendGrid refused the address: Does not contain a valid address.' });
    expect(outcomes[2]).toMatchObject({ ok: true });
  });

  it('scrubs addresses a refusal quotes', async () => {
    fake.failNext({ status: 403, errors: [{ message: 'The from address does not match a verified Sender Identity: care@clinic.example' }] });
    const [outcome] = await provider().send(textBatch(1));
    expect(outcome).toEqual({ ok: false, error: 'SendGrid refused the request: 403 The from address does not match a verified Sender Identity: [address]' });
  });

  it('waits for X-RateLimit-Reset on a 429, then sends', async () => {
    const reset = Math.floor(Date.now() / 1000) + 5;
    const outcomes = await provider({ retry: { now: () => (reset - 5) * 1000 } }).send((fake.failNext({ status: 429, rateLimitReset: reset }), textBatch(2)));
    expect(sleeps).toEqual([5_000]);
    expect(routes()).toEqual(['send', 'send']);
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });

  it('honours Retry-After on a 429', async () => {
    fake.failNext({ status: 429, retryAfter: 3 });
    await provider().send(textBatch(1));
    expect(sleeps).toEqual([3_000]);
    expect(fake.emails).toHaveLength(1);
  });

  it('after a timeout finds the accepted request in the Email Activity API and does not resend', async () => {
    fake.hangNext();
    const outcomes = await provider({ activityLookupDelayMs: 2_500 }).send(textBatch(2));
    expect(routes()).toEqual(['send', 'activity']);
    expect(sleeps).toEqual([2_500]);
    expect(fake.emails).toHaveLength(2);
    expect(outcomes).toEqual(Array(2).fill({ ok: true, providerMessageId: fake.sends[0]!.xMessageId }));
    const query = fake.requestsTo('activity')[0]!.query.get('query');
    expect(query).toMatch(/^unique_args\['careos_batch_id'\]="[0-9a-f-]{36}"$/);
    expect(query).toContain(String((fake.sends[0]!.body.custom_args as Record<string, string>).careos_batch_id));
  });

  it('after a 5xx that sent nothing, looks up, finds nothing and resends once', async () => {
    fake.failNext({ status: 503 });
    const outcomes = await provider({ activityLookupDelayMs: 0 }).send(textBatch(1));
    expect(routes()).toEqual(['send', 'activity', 'send']);
    expect(fake.emails).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ ok: true });
  });

  it('after a timeout without the Email Activity add-on (403) resends nothing and says why', async () => {
    fake.activity = 'forbidden';
    fake.hangNext();
    const outcomes = await provider().send(textBatch(2));
    expect(routes()).toEqual(['send', 'activity']);
    expect(fake.emails).toHaveLength(2);
    expect(outcomes).toEqual(Array(2).fill({ ok: false, error: `${SENDGRID_UNKNOWN_DELIVERY} (Email Activity API HTTP 403)` }));
  });

  it('keeps the outcome of a chunk to its own recipients', async () => {
    fake.failNext({ status: 400, errors: [{ message: 'The content value must be a string at least one character in length.', field: 'content.0.value' }] });
    const outcomes = await provider().send(textBatch(1001));
    expect(outcomes.slice(0, 1000).every((o) => !o.ok)).toBe(true);
    expect(outcomes[1000]).toMatchObject({ ok: true });
    expect(fake.emails.map((e) => e.to)).toEqual(['client.1000@example.org']);
  });
});

describe('fake SendGrid API surface', () => {
  const bearer = () => ({ authorization: `Bearer ${fake.apiKey}` });

  it('lists scopes and refuses a bad key with SendGrid\'s 401 body', async () => {
    const ok = await request(`${fake.url}/v3/scopes`, { headers: bearer() });
    expect(((await ok.body.json()) as { scopes: string[] }).scopes).toContain('mail.send');
    const denied = await request(`${fake.url}/v3/scopes`, { headers: { authorization: 'Bearer nope' } });
    expect(denied.statusCode).toBe(401);
    expect(await denied.body.json()).toEqual({ errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null }] });
  });

  it('refuses more than 1,000 personalizations with a field-level 400', async () => {
    const personalizations = Array.from({ length: 1001 }, (_, i) => ({ to: [{ email: `p${i}@example.org` }] }));
    const res = await request(`${fake.url}/v3/mail/send`, {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: JSON.stringify({ personalizations, from: { email: 'care@clinic.example' }, subject: 's', content: [{ type: 'text/plain', value: 'x' }] }),
    });
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toMatchObject({ errors: [{ field: 'personalizations', message: expect.stringContaining('1000'), help: expect.any(String) }] });
    expect(fake.emails).toHaveLength(0);
  });

  it('builds Event Webhook events carrying the custom args', async () => {
    await provider().send(textBatch(1));
    const event = fake.eventFor(fake.emails[0]!, 'delivered');
    expect(event).toMatchObject({ email: 'client.0@example.org', event: 'delivered', careos_message_id: 'msg_client_0', sg_message_id: fake.emails[0]!.msgId });
    expect(event.sg_message_id.startsWith(fake.sends[0]!.xMessageId)).toBe(true);
  });
});
