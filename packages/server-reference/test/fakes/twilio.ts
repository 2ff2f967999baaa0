import { request } from 'undici';
import { smsSegments } from '@careos/contract';
import { computeTwilioSignature } from '../../src/providers/twilio-signature.js';
import { basicCredentials, FakeHttpServer, randomHex, type FakeReply, type RecordedRequest } from './fake-server.js';
import { holdAnswer, type HeldAnswer } from './held-answer.js';

/** Account sid the fake accepts by default. */
export const FAKE_TWILIO_ACCOUNT_SID = 'AC00000000000000000000000000000001';
/** Auth token the fake accepts by default (also the key of its callback signatures). */
export const FAKE_TWILIO_AUTH_TOKEN = 'fake-twilio-auth-token-0001';
/** Twilio's magic test number for an invalid `To` (answered 400, code 21211). */
export const TWILIO_INVALID_NUMBER = '+15005550001';
/** Twilio's magic test number for a blocked / unsubscribed recipient (answered 400, code 21610). */
export const TWILIO_BLOCKED_NUMBER = '+15005550004';

/** A Message resource with Twilio's field names (strings where Twilio sends strings). */
export interface TwilioMessageResource {
  account_sid: string;
  api_version: '2010-04-01';
  body: string;
  /** RFC 2822, e.g. `Thu, 24 Aug 2023 05:01:45 +0000`. */
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: 'outbound-api' | 'inbound';
  error_code: number | null;
  error_message: string | null;
  from: string | null;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: 'USD';
  sid: string;
  status: TwilioMessageStatus;
  subresource_uris: { media: string };
  to: string;
  uri: string;
}

/** Statuses a Twilio message moves through. */
export type TwilioMessageStatus = 'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'received';

/** The fake's routes, for {@link FakeTwilio.failNext} and friends. */
export type TwilioRoute = 'send' | 'fetch' | 'list' | 'account';

/** Options of {@link startFakeTwilio}. */
export interface FakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
  /** Account name answered by the account fetch (default `CareOS test account`). */
  friendlyName?: string;
  /**
   * After answering a create, the message is handed to the carrier at once: status `sent` and
   * `date_sent` set (default `true`). With `false` it stays `queued` with `date_sent` null, as a
   * message waiting in Twilio's queue does.
   */
  autoSend?: boolean;
}

/** A failure for {@link FakeTwilio.failNext}; the body is Twilio's error JSON. */
export interface TwilioFailure {
  status: number;
  /** Twilio error code (default by status: 20003, 20404, 20429, 20500, else 21211). */
  code?: number;
  message?: string;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Route the failure applies to (default `send`). */
  route?: TwilioRoute;
}

/** A signed form POST as Twilio would make it: send `body` with `headers` to `url`. */
export interface SignedTwilioRequest {
  url: string;
  headers: { 'content-type': 'application/x-www-form-urlencoded'; 'x-twilio-signature': string };
  body: string;
  params: Record<string, string>;
}

/**
 * A local Twilio Programmable Messaging API: message create, fetch and list, account fetch,
 * with Twilio's error bodies, plus signed status callbacks and inbound messages.
 */
export class FakeTwilio extends FakeHttpServer<TwilioRoute> {
  readonly accountSid: string;
  readonly authToken: string;
  /** Every message created, oldest first. */
  readonly messages: TwilioMessageResource[] = [];
  private readonly callbacks = new Map<string, string>();
  private readonly friendlyName: string;
  private readonly autoSend: boolean;
  private readonly heldAnswers: ((created: TwilioMessageResource) => Promise<void>)[] = [];

  constructor(options: FakeTwilioOptions = {}) {
    super();
    this.accountSid = options.accountSid ?? FAKE_TWILIO_ACCOUNT_SID;
    this.authToken = options.authToken ?? FAKE_TWILIO_AUTH_TOKEN;
    this.friendlyName = options.friendlyName ?? 'CareOS test account';
    this.autoSend = options.autoSend ?? true;
  }

  /** Answers the next `times` requests on `failure.route` (default `send`) with Twilio's error JSON; nothing is created. */
  failNext(failure: TwilioFailure, times = 1): void {
    const code = failure.code ?? defaultCode(failure.status);
    const headers: Record<string, string> = failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
    this.plan(failure.route ?? 'send', { kind: 'fail', status: failure.status, body: twilioError(failure.status, code, failure.message ?? defaultMessage(code)), headers }, times);
  }

  /** The next request on `route` (default `send`) is carried out (the message is created) but never answered. */
  hangNext(route: TwilioRoute = 'send'): void {
    this.plan(route, { kind: 'hang' });
  }

  /** The next request on `route` (default `send`) is carried out, then its connection is dropped without an answer. */
  resetNext(route: TwilioRoute = 'send'): void {
    this.plan(route, { kind: 'reset' });
  }

  /**
   * The next message create is carried out (the message exists and its status can be set, with
   * its callback) but answered only on `answer()`: a send whose answer is still on its way.
   */
  holdNextAnswer(): HeldAnswer<TwilioMessageResource> {
    const { handle, accept } = holdAnswer<TwilioMessageResource>();
    this.heldAnswers.push(accept);
    return handle;
  }

  /** Messages sent to `to`. */
  messagesTo(to: string): TwilioMessageResource[] {
    return this.messages.filter((m) => m.to === to);
  }

  override reset(): void {
    super.reset();
    this.messages.length = 0;
    this.callbacks.clear();
    this.heldAnswers.length = 0;
  }

  /**
   * Moves a message to `status` and, when it was created with a `StatusCallback`, POSTs the signed
   * callback Twilio would send. The signature covers the callback URL given at creation; pass
   * `postTo` to deliver it elsewhere (the server behind a TLS-terminating proxy).
   *
   * @returns the callback's HTTP status, or `null` when the message has no callback URL.
   */
  async setStatus(sid: string, status: TwilioMessageStatus, options: { errorCode?: number; postTo?: string } = {}): Promise<number | null> {
    const message = this.messages.find((m) => m.sid === sid);
    if (!message) throw new Error(`fake Twilio: no message ${sid}`);
    message.status = status;
    message.date_updated = rfc2822(new Date());
    if (options.errorCode !== undefined) message.error_code = options.errorCode;
    const callback = this.callbacks.get(sid);
    if (!callback) return null;
    const signed = this.signedStatusCallback(callback, { MessageSid: sid, MessageStatus: status, To: message.to, From: message.from ?? '', ...(options.errorCode !== undefined ? { ErrorCode: String(options.errorCode) } : {}) });
    const res = await request(options.postTo ?? callback, { method: 'POST', headers: signed.headers, body: signed.body });
    await res.body.dump();
    return res.statusCode;
  }

  /**
   * A status callback as Twilio posts it to `url` (the public URL the server was configured
   * with), signed with this fake's auth token. `params` override or add fields.
   */
  signedStatusCallback(url: string, params: { MessageSid: string; MessageStatus: string } & Record<string, string>): SignedTwilioRequest {
    const all: Record<string, string> = { AccountSid: this.accountSid, ApiVersion: '2010-04-01', SmsSid: params.MessageSid, SmsStatus: params.MessageStatus, ...params };
    return this.sign(url, all);
  }

  /** An inbound SMS webhook (a reply such as `STOP`) as Twilio posts it to `url`, signed. */
  signedInboundMessage(url: string, message: { from: string; to: string; body: string; messagingServiceSid?: string }, extra: Record<string, string> = {}): SignedTwilioRequest {
    const sid = `SM${randomHex(32)}`;
    const params: Record<string, string> = {
      ToCountry: 'US', ToState: '', SmsMessageSid: sid, NumMedia: '0', ToCity: '', FromZip: '', SmsSid: sid, FromState: '', SmsStatus: 'received',
      FromCity: '', Body: message.body, FromCountry: 'US', To: message.to, ToZip: '', NumSegments: String(smsSegments(message.body).segments),
      MessageSid: sid, AccountSid: this.accountSid, From: message.from, ApiVersion: '2010-04-01',
      ...(message.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
      ...extra,
    };
    return this.sign(url, params);
  }

  /** Signs any form `params` for `url` with this fake's auth token. */
  sign(url: string, params: Record<string, string>): SignedTwilioRequest {
    return {
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': computeTwilioSignature(this.authToken, url, params) },
      body: new URLSearchParams(params).toString(),
      params,
    };
  }

  protected routeOf(method: string, path: string): TwilioRoute | null {
    const m = /^\/2010-04-01\/Accounts\/([^/]+?)(\.json|\/Messages\.json|\/Messages\/([^/]+)\.json)$/.exec(path);
    if (!m) return null;
    if (m[2] === '.json' && method === 'GET') return 'account';
    if (m[2] === '/Messages.json') return method === 'POST' ? 'send' : method === 'GET' ? 'list' : null;
    return method === 'GET' ? 'fetch' : null;
  }

  protected notFound(request: RecordedRequest): FakeReply {
    return { status: 404, body: twilioError(404, 20404, `The requested resource ${request.path} was not found`) };
  }

  protected handle(route: TwilioRoute, request: RecordedRequest): FakeReply | Promise<FakeReply> {
    const credentials = basicCredentials(request.headers.authorization);
    const pathSid = /^\/2010-04-01\/Accounts\/([^/.]+)/.exec(request.path)![1];
    if (!credentials || credentials.user !== this.accountSid || credentials.password !== this.authToken || pathSid !== this.accountSid) {
      return {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="Twilio API"' },
        body: { code: 20003, detail: 'Your AccountSid or AuthToken was incorrect.', message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 },
      };
    }
    switch (route) {
      case 'account':
        return { status: 200, body: this.account() };
      case 'send': {
        const reply = this.create(new URLSearchParams(request.body));
        const held = reply.status === 201 ? this.heldAnswers.shift() : undefined;
        return held ? held(this.messages.at(-1)!).then(() => reply) : reply;
      }
      case 'fetch': {
        const sid = /\/Messages\/([^/]+)\.json$/.exec(request.path)![1];
        const found = this.messages.find((m) => m.sid === sid);
        return found ? { status: 200, body: found } : this.notFound(request);
      }
      case 'list':
        return { status: 200, body: this.list(request) };
    }
  }

  private account() {
    const base = `/2010-04-01/Accounts/${this.accountSid}`;
    return {
      auth_token: this.authToken.replace(/.(?=.{4})/g, '*'),
      date_created: rfc2822(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))),
      date_updated: rfc2822(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))),
      friendly_name: this.friendlyName,
      owner_account_sid: this.accountSid,
      sid: this.accountSid,
      status: 'active',
      subresource_uris: { messages: `${base}/Messages.json` },
      type: 'Full',
      uri: `${base}.json`,
    };
  }

  private create(form: URLSearchParams): FakeReply {
    const to = form.get('To') ?? '';
    const body = form.get('Body') ?? '';
    const from = form.get('From');
    const service = form.get('MessagingServiceSid');
    if (!to) return { status: 400, body: twilioError(400, 21604, "A 'To' phone number is required.") };
    if (!/^\+[1-9]\d{6,14}$/.test(to) || to === TWILIO_INVALID_NUMBER) return { status: 400, body: twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`) };
    if (to === TWILIO_BLOCKED_NUMBER) return { status: 400, body: twilioError(400, 21610, 'Attempt to send to unsubscribed recipient') };
    if (!from && !service) return { status: 400, body: twilioError(400, 21603, "A 'From' phone number is required.") };
    if (!body) return { status: 400, body: twilioError(400, 21602, 'Message body is required.') };
    if (body.length > 1600) return { status: 400, body: twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.') };
    const sid = `SM${randomHex(32)}`;
    const now = rfc2822(new Date());
    const uri = `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`;
    const message: TwilioMessageResource = {
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: from ?? null,
      messaging_service_sid: service ?? null,
      num_media: '0',
      num_segments: String(smsSegments(body).segments),
      price: null,
      price_unit: 'USD',
      sid,
      status: service && !from ? 'accepted' : 'queued',
      subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') },
      to,
      uri,
    };
    const answer = structuredClone(message);
    this.messages.push(message);
    const callback = form.get('StatusCallback');
    if (callback) this.callbacks.set(sid, callback);
    if (this.autoSend) Object.assign(message, { status: 'sent', date_sent: now, from: message.from ?? '+15005550006' });
    return { status: 201, body: answer };
  }

  private list(request: RecordedRequest) {
    const q = request.query;
    const pageSize = Math.min(1000, Math.max(1, Number(q.get('PageSize') ?? 50) || 50));
    const page = Math.max(0, Number(q.get('Page') ?? 0) || 0);
    const matches = this.messages
      .filter((m) => (!q.has('To') || m.to === q.get('To')) && (!q.has('From') || m.from === q.get('From')) && dateSentMatches(m, q))
      .reverse();
    const messages = matches.slice(page * pageSize, (page + 1) * pageSize);
    const base = `/2010-04-01/Accounts/${this.accountSid}/Messages.json`;
    const pageUri = (p: number) => {
      const params = new URLSearchParams(q);
      params.set('PageSize', String(pageSize));
      params.set('Page', String(p));
      return `${base}?${params}`;
    };
    return {
      end: page * pageSize + Math.max(0, messages.length - 1),
      first_page_uri: pageUri(0),
      messages,
      next_page_uri: matches.length > (page + 1) * pageSize ? pageUri(page + 1) : null,
      page,
      page_size: pageSize,
      previous_page_uri: page > 0 ? pageUri(page - 1) : null,
      start: page * pageSize,
      uri: pageUri(page),
    };
  }
}

/** Starts a {@link FakeTwilio} on 127.0.0.1 (free port). */
export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  return new FakeTwilio(options).listen();
}

/** Twilio's date format: RFC 2822 with a numeric zone. */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/** `DateSent`, `DateSent<` and `DateSent>` filters (a day, or a full ISO time), as Twilio reads `DateSent<=` / `DateSent>=`. */
function dateSentMatches(message: TwilioMessageResource, q: URLSearchParams): boolean {
  const exact = q.get('DateSent');
  const after = q.get('DateSent>');
  const before = q.get('DateSent<');
  if (exact === null && after === null && before === null) return true;
  if (message.date_sent === null) return false;
  const sent = new Date(message.date_sent).getTime();
  const day = (text: string) => {
    const start = Date.parse(/T/.test(text) ? text : `${text}T00:00:00Z`);
    return { start, end: /T/.test(text) ? start : start + 86_400_000 };
  };
  if (exact !== null && (sent < day(exact).start || sent >= day(exact).end)) return false;
  if (after !== null && sent < day(after).start) return false;
  if (before !== null && sent >= day(before).end) return false;
  return true;
}

function twilioError(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function defaultCode(status: number): number {
  return status === 401 ? 20003 : status === 404 ? 20404 : status === 429 ? 20429 : status >= 500 ? 20500 : 21211;
}

function defaultMessage(code: number): string {
  return (
    { 20003: 'Authenticate', 20404: 'The requested resource was not found', 20429: 'Too Many Requests', 20500: 'Internal Server Error', 21211: "The 'To' number is not a valid phone number." }[code] ??
    'Bad request'
  );
}
