/** A finished call: the raw response and the request id the server gave it. */
export interface RawResult {
  /** The HTTP response; its body is unread until the promise's value is parsed from it. */
  response: Response;
  /** `X-Request-Id` of the response. */
  requestId: string | undefined;
}

/** What {@link APIPromise.withResponse} resolves to. */
export interface WithResponse<T> {
  /** The parsed, typed value. */
  data: T;
  /** The HTTP response (its body already read). */
  response: Response;
  /** The server's request id, for support. */
  requestId: string | undefined;
}

/**
 * The promise every call returns: await it for the typed value, or ask for
 * the response beside it (`withResponse()`) or instead of it (`asResponse()`).
 * The body is parsed only when the value is wanted, so `asResponse()` leaves
 * it unread (a non-streamed body has already arrived whole: see transport.ts).
 */
export class APIPromise<T> extends Promise<T> {
  #data: Promise<T> | undefined;
  #parsed: Promise<WithResponse<T>> | undefined;
  readonly #raw: Promise<RawResult>;
  readonly #parse: (raw: RawResult) => Promise<T>;

  /**
   * @param raw - The call in flight.
   * @param parse - Reads the body into the typed value.
   */
  constructor(raw: Promise<RawResult>, parse: (raw: RawResult) => Promise<T>) {
    // The executor's value is never seen: `then` is overridden to read #data.
    super((resolve) => resolve(undefined as T));
    this.#raw = raw;
    this.#parse = parse;
    // A call whose promise is dropped unawaited must not crash the process
    // with an unhandled rejection of this inner promise; the caller's own
    // `then` still sees the error.
    raw.catch(() => {});
  }

  /** Derived promises (from then, catch, finally) are plain Promises. */
  static override get [Symbol.species]() {
    return Promise;
  }

  /**
   * The raw `Response`, body unread (for custom parsing). Errors still throw.
   * A non-streamed answer's body has already arrived whole, within the call's
   * timeout and retries, so reading it cannot fail half-way.
   */
  asResponse(): Promise<Response> {
    return this.#raw.then((raw) => raw.response);
  }

  /** The typed value together with the response and its request id. */
  withResponse(): Promise<WithResponse<T>> {
    this.#parsed ??= this.#raw.then(async (raw) => ({
      data: await this.#value(),
      response: raw.response,
      requestId: raw.requestId,
    }));
    return this.#parsed;
  }

  // The body is parsed once, whether `then`, `withResponse()` or both ask. `then` does not go through
  // withResponse(): a transport's Response is built when first read, and an awaited call must not pay for one.
  #value(): Promise<T> {
    this.#data ??= this.#raw.then((raw) => this.#parse(raw));
    return this.#data;
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#value().then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onfinally);
  }
}
