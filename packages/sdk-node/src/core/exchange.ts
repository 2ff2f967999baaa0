import type { Dispatcher } from 'undici';
import type { ResponseHeaders } from './headers.js';

/** A response read to its end: status, headers and the body decoded as UTF-8. */
export interface ExchangeResult {
  statusCode: number;
  headers: ResponseHeaders;
  text: string;
}

/**
 * One request/response exchange on an undici dispatcher, read straight into memory through
 * undici's handler interface (`dispatcher.dispatch`). `dispatcher.request()` wraps the same
 * call in an `AsyncResource`, a `Readable` stream for the body and the stream's consumers,
 * which the SDK does not need: it reads every body whole. Their cost was most of what an SDK
 * call spent in undici beyond hand-written `Pool.request` code (see docs/decisions.md,
 * "SDK: per-call overhead").
 *
 * Settles exactly once: with the response, or with the error undici reports (a connection
 * failure, or the reason given to {@link abort}).
 */
export class Exchange implements Dispatcher.DispatchHandler {
  /** Resolves with the whole response; rejects with undici's error or the abort reason. */
  readonly promise: Promise<ExchangeResult>;
  #resolve!: (result: ExchangeResult) => void;
  #reject!: (error: unknown) => void;
  #controller: Dispatcher.DispatchController | null = null;
  /** An abort that came before undici started the request; applied when it does. */
  #pendingAbort: Error | undefined;
  #settled = false;
  #statusCode = 0;
  #headers: ResponseHeaders = {};
  #chunks: Buffer[] = [];
  #length = 0;

  constructor() {
    this.promise = new Promise<ExchangeResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /**
   * Sends the request. Never throws: a request undici refuses (bad header, closed dispatcher)
   * rejects {@link promise}.
   */
  send(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): Promise<ExchangeResult> {
    try {
      dispatcher.dispatch(options, this);
    } catch (error) {
      this.onResponseError(null, error as Error);
    }
    return this.promise;
  }

  /**
   * Aborts the exchange with `reason` (at most once; nothing happens once it settled). Before
   * undici has started the request (waiting for a connection) the abort is kept and applied
   * when it starts, as `dispatcher.request()` does with its `signal`.
   */
  abort(reason: Error): void {
    if (this.#settled) return;
    if (this.#controller === null) this.#pendingAbort ??= reason;
    else this.#controller.abort(reason);
  }

  /** @internal undici: the request is about to be written. */
  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.#pendingAbort !== undefined) {
      controller.abort(this.#pendingAbort);
      return;
    }
    this.#controller = controller;
  }

  /** @internal undici: status and headers arrived. Informational (1xx) responses are skipped. */
  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: ResponseHeaders): void {
    if (statusCode < 200) return;
    this.#statusCode = statusCode;
    this.#headers = headers;
  }

  /** @internal undici: a chunk of the body. */
  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** @internal undici: the body is complete. */
  onResponseEnd(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#controller = null;
    this.#resolve({ statusCode: this.#statusCode, headers: this.#headers, text: decodeBody(this.#chunks, this.#length) });
  }

  /** @internal undici: the exchange failed or was aborted. */
  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#controller = null;
    this.#chunks = [];
    this.#reject(error);
  }
}

/** The body as UTF-8 text, a leading byte-order mark dropped (as undici's `body.text()` does). */
function decodeBody(chunks: Buffer[], length: number): string {
  if (length === 0) return '';
  const buffer = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
  const start = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  return buffer.toString('utf8', start);
}
