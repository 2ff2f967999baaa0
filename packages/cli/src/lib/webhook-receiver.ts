import { createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { verifyWebhook, WebhookVerificationError } from '@careos/webhook-verifier';

/** What happened to one request to the webhook path. */
export interface DeliveryReport {
  /** When it arrived, ISO 8601. */
  time: string;
  /** The event type: from the verified body, or (unverified) what the `X-CareOS-Event` header claims. */
  event: string | null;
  /** `webhook-id`: the delivery id, the same on every retry. */
  webhookId: string | null;
  verified: boolean;
  /** The verifier's code when it refused the delivery. */
  code?: string;
  /** The verifier's message when it refused the delivery. */
  reason?: string;
  /** The status this receiver answered with. */
  status: number;
  /** Where a verified delivery was forwarded, and what came of it. */
  forward?: { url: string; status: number } | { url: string; error: string };
  /** The body as received (parsed when it is JSON); only kept when asked for. */
  body?: unknown;
}

/** Options of {@link startWebhookReceiver}. */
export interface WebhookReceiverOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The path deliveries are POSTed to, e.g. `/webhooks`. */
  path: string;
  /** Verified deliveries are sent on to this URL, raw body and headers intact. */
  forwardTo?: URL;
  /** Keep each body in its report. */
  keepBody?: boolean;
  /** Called once per request to the webhook path, after it has been answered. */
  onDelivery(report: DeliveryReport): void;
}

/** A listening receiver. */
export interface WebhookReceiver {
  /** `http://host:port/path`: the URL to register. */
  url: string;
  port: number;
  /**
   * Sets the signing secret. Until it is set (registration returns it), deliveries are answered
   * 503 so CareOS retries them rather than count them as received.
   */
  setSecret(secret: string): void;
  close(): Promise<void>;
}

/** Largest body read; CareOS events are a few hundred bytes. */
const MAX_BODY_BYTES = 1024 * 1024;
/**
 * How long a forward may take. Shorter than the 10 s CareOS gives an attempt, so a slow target
 * is answered with a 504 this process reports, not a timeout only the server sees.
 */
const FORWARD_TIMEOUT_MS = 9_000;

/** Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parsedBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The request's headers as received (original case, order and repeats, from `rawHeaders`),
 * less the hop-by-hop ones and any the `Connection` header names, with `Host` set to the target.
 */
function forwardedHeaders(req: IncomingMessage, target: URL, length: number): [string, string][] {
  const named = new Set((header(req, 'connection') ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean));
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named.has(lower) || lower === 'host' || lower === 'content-length') continue;
    pairs.push([name, req.rawHeaders[i + 1]!]);
  }
  // The body is sent whole, so its length is known even when it arrived chunked.
  return [['Host', target.host], ...pairs, ['Content-Length', String(length)]];
}

/** Sends the delivery on; resolves with the target's answer. */
function forward(req: IncomingMessage, body: Buffer, target: URL): Promise<{ status: number; headers: OutgoingHttpHeaders; body: Buffer }> {
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(target, { method: 'POST', headers: forwardedHeaders(req, target, body.length).flat(), timeout: FORWARD_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: { 'content-type': res.headers['content-type'] }, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${FORWARD_TIMEOUT_MS / 1000} s`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function answer(res: ServerResponse, status: number, json?: unknown): void {
  if (json === undefined) res.writeHead(status).end();
  else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
}

/**
 * A local HTTP receiver for CareOS webhooks. Each POST to `path` is verified with
 * `@careos/webhook-verifier` (Standard Webhooks headers, default tolerance) against the secret:
 * verified deliveries are answered 204, or forwarded and answered with the target's status;
 * the rest are answered 400 with the verifier's code, as `webhookMiddleware` answers, and never
 * forwarded: the receiver stands where a partner's own verification would.
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  let secret: string | undefined;
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, 500, { error: (error as Error).message });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://receiver').pathname;
    if (pathname !== options.path) return answer(res, 404, { error: `Deliveries go to ${options.path}` });
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return answer(res, 405, { error: 'Deliveries are POSTed' });
    }
    const time = new Date().toISOString();
    const webhookId = header(req, 'webhook-id');
    const claimed = header(req, 'x-careos-event') ?? header(req, 'x-loverescue-event');
    const body = await readBody(req);
    const report = (fields: Omit<DeliveryReport, 'time' | 'webhookId'>) => {
      options.onDelivery({ time, webhookId, ...fields, ...(options.keepBody && body ? { body: parsedBody(body) } : {}) });
    };
    if (body === null) {
      answer(res, 413, { error: `Body over ${MAX_BODY_BYTES} bytes`, code: 'PAYLOAD_TOO_LARGE' });
      return report({ event: claimed, verified: false, code: 'PAYLOAD_TOO_LARGE', reason: `body over ${MAX_BODY_BYTES} bytes`, status: 413 });
    }
    if (secret === undefined) {
      answer(res, 503, { error: 'Not registered yet' });
      return report({ event: claimed, verified: false, code: 'NOT_READY', reason: 'arrived before registration finished', status: 503 });
    }
    let event: string | null;
    try {
      event = verifyWebhook(body, req.headers, secret).type ?? claimed;
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      answer(res, 400, { error: error.message, code: error.code });
      return report({ event: claimed, verified: false, code: error.code, reason: error.message, status: 400 });
    }
    if (!options.forwardTo) {
      answer(res, 204);
      return report({ event, verified: true, status: 204 });
    }
    const url = options.forwardTo.href;
    try {
      const target = await forward(req, body, options.forwardTo);
      res.writeHead(target.status, target.headers['content-type'] ? { 'content-type': target.headers['content-type'] } : {}).end(target.body);
      return report({ event, verified: true, status: target.status, forward: { url, status: target.status } });
    } catch (error) {
      // Not the sender's fault and maybe passing: a 5xx makes CareOS retry later.
      const message = (error as Error).message;
      const status = /no answer within/.test(message) ? 504 : 502;
      answer(res, status, { error: `Forwarding to ${url} failed: ${message}` });
      return report({ event, verified: true, status, forward: { url, error: message } });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}${options.path}`,
    port,
    setSecret(value) {
      secret = value;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections from CareOS would otherwise hold the process open.
        server.closeAllConnections();
      });
    },
  };
}
