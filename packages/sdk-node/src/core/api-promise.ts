import type { ResponseHeaders } from './headers.js';

/** What a successful response looked like, besides its body. */
export interface ResponseInfo {
  /** HTTP status. */
  status: number;
  /** Response headers, lower-cased names. */
  headers: ResponseHeaders;
  /** `X-Request-Id`, to quote to CareOS support. */
  requestId: string | undefined;
}

/** A parsed body with its {@link ResponseInfo}. */
export interface WithResponse<T> {
  /** The parsed body. */
  data: T;
  /** Status, headers and request id. */
  response: ResponseInfo;
}

// One executor for every instance: the base promise is never used, only `then` is.
const settled = (resolve: (value: never) => void) => resolve(undefined as never);

/**
 * The promise every method returns: `await` it for the parsed body, or call
 * {@link APIPromise.withResponse} for the body plus status, headers and request id
 * (e.g. to log `requestId` or read `idempotent-replayed`).
 */
export class APIPromise<T> extends Promise<T> {
  readonly #response: Promise<WithResponse<T>>;
  #data: Promise<T> | undefined;

  /** @param response resolves with the parsed body and its response info */
  constructor(response: Promise<WithResponse<T>>) {
    super(settled);
    this.#response = response;
  }

  // `then` on a subclass would otherwise construct another APIPromise for its result.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /** The parsed body together with status, headers and request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#response;
  }

  #body(): Promise<T> {
    return (this.#data ??= this.#response.then((result) => result.data));
  }

  /** Resolves with the parsed body. */
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#body().then(onfulfilled, onrejected);
  }

  /** Handles a failed call. */
  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#body().catch(onrejected);
  }

  /** Runs `onfinally` when the call settles. */
  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#body().finally(onfinally);
  }
}
