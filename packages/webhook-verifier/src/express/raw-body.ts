import type { IncomingMessage } from 'node:http';
import { WebhookVerificationError } from '../errors.js';

/** 1 MiB: CareOS events are a few KB; the bound stops a huge body from being buffered. */
export const DEFAULT_LIMIT_BYTES = 1024 * 1024;

function tooLarge(limit: number): WebhookVerificationError {
  return new WebhookVerificationError('PAYLOAD_TOO_LARGE', `The body is larger than the ${limit}-byte limit; raise the middleware's limit option if your events are that large.`);
}

/**
 * Reads a request's body as raw bytes, up to `limit` bytes. Past the limit the rest is drained
 * unread, so the connection stays usable and the client gets an answer instead of a reset.
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    // The client went away before the body ended: nothing to verify, and nobody to answer.
    const onClose = () => {
      cleanup();
      reject(new Error('The request was closed before its body was complete'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
