import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioSmsProvider, type TwilioSmsOptions } from '../src/providers/twilio-sms.js';
import { ProviderError, type SmsProvider } from '../src/providers/types.js';
import { startFakeTwilio, TWILIO_INVALID_NUMBER, type FakeTwilio } from './fakes/twilio.js';

let fake: FakeTwilio;
let sleeps: number[];

beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const FROM = '+15005550006';
const provider = (overrides: Partial<TwilioSmsOptions> = {}): SmsProvider => {
  sleeps = [];
  return createTwilioSmsProvider({
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    fromNumber: FROM,
    messagingServiceSid: null,
    baseUrl: fake.url,
    // Short enough that a hung answer ends the attempt quickly; nothing asserts on time.
    timeoutMs: 300,
    ...overrides,
    retry: { sleep: async (ms) => void sleeps.push(ms), ...overrides.retry },
  });
};
const routes = () => fake.requests.map((r) => r.route);
let counter = 0;
const sms = (body = `Your visit is confirmed (${++counter})`) => ({ id: `msg_${counter}`, to: `+1415555${String(1000 + counter).slice(-4)}`, body });

const rejection = async (promise: Promise<unknown>): Promise<ProviderError> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
};

describe('Twilio SMS adapter against the fake Twilio', () => {
  it('sends form-encoded with basic auth and a status callback, and returns the SM sid', async () => {
    const message = sms();
    const result = await provider({ statusCallbackUrl: 'https://careos.example/webhooks/twilio/status' }).send(message);
    expect(fake.messages).toHaveLength(1);
    const [stored] = fake.messages;
    expect(result.providerMessageId).toBe(stored!.sid);
    expect(stored).toMatchObject({ to: message.to, from: FROM, body: message.body, num_segments: '1', direction: 'outbound-api', status: 'sent' });
    expect(stored!.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(stored!.date_created).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    const sent = fake.requestsTo('send')[0]!;
    expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent.headers.authorization).toBe(`Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(sent.body))).toEqual({ To: message.to, From: FROM, Body: message.body, StatusCallback: 'https://careos.example/webhooks/twilio/status' });
  });

  it('accepts then hangs: the retry finds the accepted message, so Twilio holds one message, not two', async () => {
    fake.hangNext();
    const message = sms();
    const result = await provider().send(message);
    expect(fake.messagesTo(message.to)).toHaveLength(1);
    expect(result.providerMessageId).toBe(fake.messages[0]!.sid);
    expect(routes()).toEqual(['send', 'list']);
    const list = fake.requestsTo('list')[0]!;
    expect(list.query.get('To')).toBe(message.to);
    expect(list.query.get('DateSent>')).toBe(new Date(Date.now() - 60_000).toISOString().slice(0, 10));
  });

  it('accepts then drops the connection: one message, found by the reconciliation', async () => {
    fake.resetNext();
    const message = sms();
    const result = await provider().send(message);
    expect(fake.messagesTo(message.to)).toHaveLength(1);
    expect(result.providerMessageId).toBe(fake.messages[0]!.sid);
  });

  it('finds a message still queued at Twilio (no date_sent yet) through the unfiltered listing', async () => {
    const queued = await startFakeTwilio({ autoSend: false });
    try {
      queued.hangNext();
      const message = sms();
      const result = await provider({ baseUrl: queued.url, accountSid: queued.accountSid, authToken: queued.authToken }).send(message);
      expect(queued.messages).toHaveLength(1);
      expect(queued.messages[0]).toMatchObject({ status: 'queued', date_sent: null });
      expect(result.providerMessageId).toBe(queued.messages[0]!.sid);
      expect(queued.requests.map((r) => r.route)).toEqual(['send', 'list', 'list']);
    } finally {
      await queued.close();
    }
  });

  it('resends after a 5xx only once the listing shows nothing was created', async () => {
    fake.failNext({ status: 500 });
    const message = sms();
    const result = await provider().send(message);
    expect(routes()).toEqual(['send', 'list', 'list', 'send']);
    expect(fake.messagesTo(message.to)).toHaveLength(1);
    expect(result.providerMessageId).toBe(fake.messages[0]!.sid);
    expect(sleeps).toEqual([1_000]);
  });

  it('does not match an older message with the same body sent before the first attempt', async () => {
    const message = sms('Same text every time');
    await provider().send(message);
    const old = fake.messages[0]!;
    old.date_created = new Date(Date.now() - 10 * 60_000).toUTCString().replace('GMT', '+0000');
    fake.hangNext();
    await provider().send({ ...message, id: 'msg_again' });
    expect(fake.messagesTo(message.to)).toHaveLength(2);
    // The hung attempt created the second one; the reconciliation returned it, not the old one.
    expect(routes().filter((r) => r === 'send')).toHaveLength(2);
  });

  it('honours Retry-After on a 429, then succeeds', async () => {
    fake.failNext({ status: 429, retryAfter: 7 });
    const message = sms();
    const result = await provider().send(message);
    expect(sleeps).toEqual([7_000]);
    expect(routes()).toEqual(['send', 'send']);
    expect(result.providerMessageId).toBe(fake.messages[0]!.sid);
  });

  it('backs off by doubling without Retry-After and gives up after the attempts allowed, as unavailable', async () => {
    fake.failNext({ status: 429 }, 4);
    const error = await rejection(provider().send(sms()));
    expect(sleeps).toEqual([1_000, 2_000, 4_000]);
    expect(routes()).toEqual(['send', 'send', 'send', 'send']);
    expect(error).toMatchObject({ status: 429, kind: 'unavailable' });
    expect(error.message).toBe('Twilio unavailable: 20429 Too Many Requests');
    expect(fake.messages).toHaveLength(0);
  });

  it('fails at once when Twilio asks to wait longer than the cap, passing the wait on', async () => {
    fake.failNext({ status: 429, retryAfter: 120 });
    const error = await rejection(provider().send(sms()));
    expect(sleeps).toEqual([]);
    expect(error).toMatchObject({ kind: 'unavailable', retryAfterMs: 120_000 });
  });

  it('fails an invalid number (21211) at once, without retry and without the number in the error', async () => {
    const error = await rejection(provider().send({ id: 'msg_bad', to: TWILIO_INVALID_NUMBER, body: 'Hello' }));
    expect(routes()).toEqual(['send']);
    expect(sleeps).toEqual([]);
    expect(error).toMatchObject({ status: 400, kind: 'refused' });
    expect(error.message).toBe("Twilio refused the message: 21211 The 'To' number [number] is not a valid phone number.");
    expect(error.message).not.toContain('5550001');
  });

  it('reports wrong credentials as refused with Twilio\'s 20003', async () => {
    const error = await rejection(provider({ authToken: 'wrong' }).send(sms()));
    expect(error).toMatchObject({ status: 401, kind: 'refused', message: 'Twilio refused the message: 20003 Authenticate' });
  });

  it('reconciles first when the caller says an earlier attempt may have reached Twilio', async () => {
    const message = sms();
    const startedAt = new Date();
    await provider().send(message);
    // A later process retries the same message from the outbox.
    const again = await provider().send({ ...message, previousAttemptAt: startedAt });
    expect(again.providerMessageId).toBe(fake.messages[0]!.sid);
    expect(fake.messagesTo(message.to)).toHaveLength(1);
  });

  it('remembers an ambiguous attempt across calls of the same adapter', async () => {
    const adapter = provider({ retry: { maxAttempts: 1 } });
    const message = sms();
    fake.hangNext();
    const first = await rejection(adapter.send(message));
    expect(first).toMatchObject({ kind: 'unknown' });
    expect(first.message).toMatch(/^Twilio unreachable: UND_ERR_HEADERS_TIMEOUT; delivery unknown/);
    const second = await adapter.send(message);
    expect(second.providerMessageId).toBe(fake.messages[0]!.sid);
    expect(fake.messagesTo(message.to)).toHaveLength(1);
  });

  it('does not resend when the listing cannot be read after a timeout', async () => {
    fake.hangNext();
    fake.failNext({ status: 500, route: 'list' });
    const error = await rejection(provider().send(sms()));
    expect(error.kind).toBe('unknown');
    expect(error.message).toMatch(/not resent to avoid a duplicate/);
    expect(routes()).toEqual(['send', 'list']);
    expect(fake.messages).toHaveLength(1);
  });

  it('retries an unreachable Twilio (nothing can have been sent) without listing', async () => {
    const closed = await startFakeTwilio();
    const url = closed.url;
    await closed.close();
    const error = await rejection(provider({ baseUrl: url, retry: { maxAttempts: 2 } }).send(sms()));
    expect(error).toMatchObject({ kind: 'unavailable', message: 'Twilio unreachable: ECONNREFUSED' });
    expect(sleeps).toEqual([1_000]);
  });
});

describe('fake Twilio API surface', () => {
  const auth = () => `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`;

  it('answers the account fetch and Twilio\'s 401 body', async () => {
    const ok = await request(`${fake.url}/2010-04-01/Accounts/${fake.accountSid}.json`, { headers: { authorization: auth() } });
    expect(await ok.body.json()).toMatchObject({ sid: fake.accountSid, status: 'active', type: 'Full', friendly_name: 'CareOS test account' });
    const denied = await request(`${fake.url}/2010-04-01/Accounts/${fake.accountSid}.json`, { headers: { authorization: 'Basic eDp5' } });
    expect(denied.statusCode).toBe(401);
    expect(await denied.body.json()).toMatchObject({ code: 20003, message: 'Authenticate', status: 401, more_info: 'https://www.twilio.com/docs/errors/20003' });
  });

  it('lists newest first with Twilio\'s paging fields and fetches one message', async () => {
    const adapter = provider();
    for (let i = 0; i < 3; i++) await adapter.send({ id: `m${i}`, to: '+14155550100', body: `n${i}` });
    const res = await request(`${fake.url}/2010-04-01/Accounts/${fake.accountSid}/Messages.json?To=%2B14155550100&PageSize=2`, { headers: { authorization: auth() } });
    const page = (await res.body.json()) as { messages: { body: string; sid: string }[]; next_page_uri: string | null; page_size: number; page: number };
    expect(page.messages.map((m) => m.body)).toEqual(['n2', 'n1']);
    expect(page).toMatchObject({ page: 0, page_size: 2, next_page_uri: expect.stringContaining('Page=1') });
    const one = await request(`${fake.url}/2010-04-01/Accounts/${fake.accountSid}/Messages/${page.messages[0]!.sid}.json`, { headers: { authorization: auth() } });
    expect(await one.body.json()).toMatchObject({ body: 'n2', to: '+14155550100' });
    const missing = await request(`${fake.url}/2010-04-01/Accounts/${fake.accountSid}/Messages/SMnope.json`, { headers: { authorization: auth() } });
    expect(missing.statusCode).toBe(404);
    expect(await missing.body.json()).toMatchObject({ code: 20404 });
  });
});
