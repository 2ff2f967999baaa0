import { WebhookVerificationError } from '../errors.js';

// The signature covers exact bytes, so the body is never decoded and re-encoded before hashing:
// strings are hashed as their UTF-8 encoding, bytes as they are. Views share the caller's
// memory instead of copying it.

const RAW_BODY_FIX =
  "Mount express.raw({ type: 'application/json' }) on the webhook route and register that route before any app.use(express.json()) " +
  "(or use webhookMiddleware from '@careos/webhook-verifier/express'), then pass req.body, a Buffer. " +
  'In a fetch handler, pass await request.arrayBuffer() (or use verifyRequest).';

/** A payload ready to hash: a string (hashed as UTF-8) or a byte view of the caller's memory. */
export type HashInput = string | Uint8Array;

/** Checks that `payload` is a raw body and returns it without copying. */
export function hashInput(payload: unknown): HashInput {
  if (typeof payload === 'string' || payload instanceof Uint8Array) return payload;
  if (ArrayBuffer.isView(payload)) return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  // The tag check also accepts an ArrayBuffer from another realm (a vm context, an iframe).
  if (payload instanceof ArrayBuffer || Object.prototype.toString.call(payload) === '[object ArrayBuffer]') return new Uint8Array(payload as ArrayBuffer);
  throw payloadError(payload);
}

function payloadError(payload: unknown): WebhookVerificationError {
  if (payload === undefined || payload === null) {
    return new WebhookVerificationError('INVALID_PAYLOAD', `No body was given (got ${String(payload)}): the verifier needs the raw request body. ${RAW_BODY_FIX}`);
  }
  if (typeof payload === 'object') {
    return new WebhookVerificationError(
      'PAYLOAD_PARSED',
      'The body was already parsed into an object, most likely by express.json() or another JSON body parser. ' +
        `The signature covers the exact bytes sent, which cannot be rebuilt from a parsed object. ${RAW_BODY_FIX}`,
    );
  }
  return new WebhookVerificationError('INVALID_PAYLOAD', `The body must be the raw request body (string, Buffer, Uint8Array or ArrayBuffer), got a ${typeof payload}. ${RAW_BODY_FIX}`);
}

const decoder = new TextDecoder();

/** The body as text, for callers that want to parse it. */
export function textOf(input: HashInput): string {
  return typeof input === 'string' ? input : decoder.decode(input);
}

const encoder = new TextEncoder();

/** The body as bytes; a string is encoded as UTF-8. */
export function bytesOf(input: HashInput): Uint8Array {
  return typeof input === 'string' ? encoder.encode(input) : input;
}
