import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { request } from 'undici';
import { SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER } from '../../src/providers/sendgrid-signature.js';
import { FakeHttpServer, randomHex, type FakeReply, type RecordedRequest } from './fake-server.js';
import { holdAnswer, type HeldAnswer } from './held-answer.js';

/** API key the fake accepts by default. */
export const FAKE_SENDGRID_API_KEY = 'SG.fake-key-id.fake-key-secret-0001';

/** The fake's routes, for {@link FakeSendGrid.failNext} and friends. */
export type SendGridRoute = 'send' | 'scopes' | 'activity';

/** One email the fake accepted: one per `to` of each personalization. */
export interface SentEmail {
  /** `X-Message-Id` answered for the request that carried it. */
  xMessageId: string;
  /** Per-recipient id as the Activity API and events show it (`<X-Message-Id>.filter…`). */
  msgId: string;
  to: string;
  from: string;
  fromName: string | null;
  subject: string | null;
  text: string | null;
  templateId: string | null;
  dynamicTemplateData: Record<string, unknown> | null;
  /** Message-level and personalization `custom_args`, merged (the personalization wins). */
  customArgs: Record<string, string>;
  at: Date;
}

/** Options of {@link startFakeSendGrid}. */
export interface FakeSendGridOptions {
  apiKey?: string;
  /** Scopes `GET /v3/scopes` lists (default a restricted key that can send mail and read activity). */
  scopes?: string[];
  /** Whether the account has the Email Activity add-on (default `enabled`); `forbidden` answers 403 as SendGrid does without it. */
  activity?: 'enabled' | 'forbidden';
}

/** A failure for {@link FakeSendGrid.failNext}; the body is SendGrid's `{errors:[…]}`. */
export interface SendGridFailure {
  status: number;
  /** Error messages (default a standard one for the status). */
  errors?: { message: string; field?: string | null; help?: string | null }[];
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Unix seconds, sent as `X-RateLimit-Reset`. */
  rateLimitReset?: number;
  /** Route the failure applies to (default `send`). */
  route?: SendGridRoute;
}

/** A SendGrid event as the Event Webhook posts it (custom args appear as top-level fields). */
export type SendGridEvent = Record<string, unknown> & { email: string; event: string; sg_event_id: string; sg_message_id: string; timestamp: number };

/** A key pair for the signed Event Webhook, in SendGrid's formats. */
export interface EventWebhookKeys {
  /** Verification key as the SendGrid settings page shows it: base64 DER SPKI. */
  publicKey: string;
  privateKey: KeyObject;
  /**
   * Signs a raw body as SendGrid would at `timestamp` (Unix seconds, default now): the headers
   * `X-Twilio-Email-Event-Webhook-Signature` and `-Timestamp`, ready to send with `body`.
   */
  signEvents(events: SendGridEvent[] | string, timestamp?: number): { body: string; headers: Record<string, string> };
}

const HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';
const MAX_PERSONALIZATIONS = 1000;

/** Generates an Event Webhook key pair (ECDSA P-256) and its signer. */
export function generateEventWebhookKeys(): EventWebhookKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    privateKey,
    signEvents(events, timestamp = Math.floor(Date.now() / 1000)) {
      const body = typeof events === 'string' ? events : JSON.stringify(events);
      const signature = sign('sha256', Buffer.from(`${timestamp}${body}`, 'utf8'), { key: privateKey, dsaEncoding: 'der' }).toString('base64');
      return { body, headers: { 'content-type': 'application/json', [SENDGRID_SIGNATURE_HEADER]: signature, [SENDGRID_TIMESTAMP_HEADER]: String(timestamp) } };
    },
  };
}

/**
 * A local SendGrid v3 API: mail send with SendGrid's validation errors and limits, scopes, the
 * Email Activity lookup, and signed Event Webhook posts for the emails it accepted.
 */
export class FakeSendGrid extends FakeHttpServer<SendGridRoute> {
  readonly apiKey: string;
  /** Every email accepted, one per recipient, in order. */
  readonly emails: SentEmail[] = [];
  /** Body of every accepted `mail/send` request, parsed, with its `X-Message-Id`. */
  readonly sends: { xMessageId: string; body: Record<string, unknown> }[] = [];
  /** The account's Event Webhook signing keys. */
  readonly webhookKeys: EventWebhookKeys = generateEventWebhookKeys();
  scopes: string[];
  activity: 'enabled' | 'forbidden';
  private readonly heldAnswers: ((created: SentEmail[]) => Promise<void>)[] = [];

  constructor(options: FakeSendGridOptions = {}) {
    super();
    this.apiKey = options.apiKey ?? FAKE_SENDGRID_API_KEY;
    this.scopes = options.scopes ?? ['mail.send', 'email_activity.read', 'scopes.read', 'user.profile.read'];
    this.activity = options.activity ?? 'enabled';
  }

  /** Answers the next `times` requests on `failure.route` (default `send`) with SendGrid's error JSON; nothing is sent. */
  failNext(failure: SendGridFailure, times = 1): void {
    const headers: Record<string, string> = {};
    if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
    if (failure.rateLimitReset !== undefined) Object.assign(headers, { 'x-ratelimit-limit': '600', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(failure.rateLimitReset) });
    const errors = (failure.errors ?? [{ message: defaultMessage(failure.status) }]).map((e) => ({ message: e.message, field: e.field ?? null, help: e.help ?? null }));
    this.plan(failure.route ?? 'send', { kind: 'fail', status: failure.status, body: { errors }, headers }, times);
  }

  /** The next request on `route` (default `send`) is carried out (the emails are accepted) but never answered. */
  hangNext(route: SendGridRoute = 'send'): void {
    this.plan(route, { kind: 'hang' });
  }

  /**
   * The next `mail/send` is carried out (its emails accepted, events can be posted for them) but
   * answered only on `answer()`: a send whose answer is still on its way.
   */
  holdNextAnswer(): HeldAnswer<SentEmail[]> {
    const { handle, accept } = holdAnswer<SentEmail[]>();
    this.heldAnswers.push(accept);
    return handle;
  }

  /** The next request on `route` is carried out, then its connection is dropped without an answer. */
  resetNext(route: SendGridRoute = 'send'): void {
    this.plan(route, { kind: 'reset' });
  }

  override reset(): void {
    super.reset();
    this.emails.length = 0;
    this.sends.length = 0;
    this.heldAnswers.length = 0;
  }

  /** An event for an accepted email, as the Event Webhook sends it (`sg_event_id` unique per call). */
  eventFor(email: SentEmail, event: 'processed' | 'delivered' | 'deferred' | 'bounce' | 'dropped' | 'spamreport' | 'open' | 'click' | 'unsubscribe', extra: Record<string, unknown> = {}): SendGridEvent {
    return {
      email: email.to,
      timestamp: Math.floor(Date.now() / 1000),
      'smtp-id': `<${email.xMessageId}@ismtpd0001p1las1.sendgrid.net>`,
      event,
      category: [],
      sg_event_id: Buffer.from(randomUUID()).toString('base64url').slice(0, 22),
      sg_message_id: email.msgId,
      ...(event === 'bounce' ? { reason: '550 5.1.1 The email account that you tried to reach does not exist.', status: '5.1.1', type: 'bounce' } : {}),
      ...email.customArgs,
      ...extra,
    };
  }

  /** POSTs signed `events` to `url` as the Event Webhook does; returns the HTTP status. */
  async postEvents(url: string, events: SendGridEvent[], timestamp?: number): Promise<number> {
    const signed = this.webhookKeys.signEvents(events, timestamp);
    const res = await request(url, { method: 'POST', headers: signed.headers, body: signed.body });
    await res.body.dump();
    return res.statusCode;
  }

  protected routeOf(method: string, path: string): SendGridRoute | null {
    if (path === '/v3/mail/send' && method === 'POST') return 'send';
    if (path === '/v3/scopes' && method === 'GET') return 'scopes';
    if (path === '/v3/messages' && method === 'GET') return 'activity';
    return null;
  }

  protected notFound(): FakeReply {
    return { status: 404, body: { errors: [{ field: null, message: 'resource not found' }] } };
  }

  protected handle(route: SendGridRoute, request: RecordedRequest): FakeReply | Promise<FakeReply> {
    if (request.headers.authorization !== `Bearer ${this.apiKey}`) {
      return { status: 401, body: { errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null }] } };
    }
    if (route === 'scopes') return { status: 200, body: { scopes: this.scopes } };
    if (route === 'activity') return this.lookup(request.query);
    const before = this.emails.length;
    const reply = this.send(request.body);
    const held = reply.status === 202 ? this.heldAnswers.shift() : undefined;
    return held ? held(this.emails.slice(before)).then(() => reply) : reply;
  }

  private lookup(query: URLSearchParams): FakeReply {
    if (this.activity === 'forbidden' || !this.scopes.includes('email_activity.read')) return { status: 403, body: { errors: [{ field: null, message: 'access forbidden' }] } };
    const text = query.get('query') ?? '';
    const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? 10) || 10));
    const clauses = [...text.matchAll(/(unique_args\['([^']+)'\]|msg_id|to_email)\s*=\s*"([^"]*)"/g)];
    if (!text || clauses.length === 0) return { status: 400, body: { errors: [{ field: 'query', message: 'invalid query' }] } };
    const matches = this.emails.filter((email) =>
      clauses.every(([, field, arg, value]) => (arg !== undefined ? email.customArgs[arg] === value : field === 'msg_id' ? email.msgId === value : email.to === value)),
    );
    const messages = matches.slice(0, limit).map((email) => ({
      from_email: email.from,
      msg_id: email.msgId,
      subject: email.subject ?? '',
      to_email: email.to,
      status: 'delivered',
      opens_count: 0,
      clicks_count: 0,
      last_event_time: email.at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    }));
    return { status: 200, body: { messages } };
  }

  private send(raw: string): FakeReply {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return invalid([{ message: 'Bad Request', field: null, help: null }]);
    }
    const errors: { message: string; field: string | null; help: string | null }[] = [];
    const from = body.from as { email?: unknown; name?: unknown } | undefined;
    if (!from || typeof from.email !== 'string') {
      errors.push({ message: 'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.', field: 'from.email', help: `${HELP}#message.from` });
    }
    const personalizations = body.personalizations;
    if (!Array.isArray(personalizations) || personalizations.length === 0) {
      errors.push({ message: 'The personalizations field is required and must have at least one personalization.', field: 'personalizations', help: `${HELP}#-Personalizations-Errors` });
    } else if (personalizations.length > MAX_PERSONALIZATIONS) {
      errors.push({ message: `The personalizations field must have ${MAX_PERSONALIZATIONS} or fewer personalizations.`, field: 'personalizations', help: `${HELP}#-Personalizations-Errors` });
    }
    const templateId = typeof body.template_id === 'string' ? body.template_id : null;
    if (templateId !== null && !/^d-[0-9a-f]{32}$/.test(templateId)) errors.push({ message: `The template_id must be a valid GUID, you provided '${templateId}'.`, field: 'template_id', help: `${HELP}#message.template_id` });
    const content = Array.isArray(body.content) ? (body.content as { type?: string; value?: string }[]) : [];
    if (templateId === null && content.length === 0) {
      errors.push({ message: 'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.', field: 'content', help: `${HELP}#message.content` });
    }
    const list = Array.isArray(personalizations) && personalizations.length <= MAX_PERSONALIZATIONS ? (personalizations as Record<string, unknown>[]) : [];
    list.forEach((p, i) => {
      const to = Array.isArray(p.to) ? (p.to as { email?: unknown }[]) : [];
      if (to.length === 0) errors.push({ message: 'The to array is required for all personalization objects, and must have at least one email object with a valid email address.', field: `personalizations.${i}.to`, help: `${HELP}#message.personalizations.to` });
      to.forEach((r, j) => {
        if (typeof r.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(r.email)) {
          errors.push({ message: 'Does not contain a valid address.', field: `personalizations.${i}.to.${j}.email`, help: `${HELP}#message.personalizations.to` });
        }
      });
      if (templateId === null && typeof body.subject !== 'string' && typeof p.subject !== 'string') {
        errors.push({ message: 'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.', field: 'subject', help: `${HELP}#message.subject` });
      }
    });
    if (errors.length) return invalid(errors);

    const xMessageId = randomHex(22);
    this.sends.push({ xMessageId, body });
    const text = content.find((c) => c.type === 'text/plain')?.value ?? null;
    const shared = (body.custom_args ?? {}) as Record<string, string>;
    list.forEach((p) => {
      for (const r of p.to as { email: string }[]) {
        this.emails.push({
          xMessageId,
          msgId: `${xMessageId}.filterdrecv-${randomHex(10)}-1-${randomHex(8).toUpperCase()}-${this.emails.length}.0`,
          to: r.email,
          from: from!.email as string,
          fromName: typeof from!.name === 'string' ? from!.name : null,
          subject: typeof p.subject === 'string' ? p.subject : typeof body.subject === 'string' ? body.subject : null,
          text,
          templateId,
          dynamicTemplateData: (p.dynamic_template_data as Record<string, unknown> | undefined) ?? null,
          customArgs: { ...shared, ...((p.custom_args ?? {}) as Record<string, string>) },
          at: new Date(),
        });
      }
    });
    return { status: 202, headers: { 'x-message-id': xMessageId } };
  }
}

/** Starts a {@link FakeSendGrid} on 127.0.0.1 (free port). */
export async function startFakeSendGrid(options: FakeSendGridOptions = {}): Promise<FakeSendGrid> {
  return new FakeSendGrid(options).listen();
}

function invalid(errors: { message: string; field: string | null; help: string | null }[]): FakeReply {
  return { status: 400, body: { errors } };
}

function defaultMessage(status: number): string {
  if (status === 401) return 'The provided authorization grant is invalid, expired, or revoked';
  if (status === 403) return 'access forbidden';
  if (status === 413) return 'Payload Too Large';
  if (status === 429) return 'too many requests';
  if (status >= 500) return 'internal server error';
  return 'Bad Request';
}
