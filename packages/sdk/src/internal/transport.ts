import ky, { HTTPError, TimeoutError, type KyInstance, type Options as KyOptions } from "ky";
import type { ApiVersion } from "@resonantgenesis/schemas";
import type { RawResult } from "../core/api-promise.js";
import type { DeprecationTracker } from "./deprecation.js";
import { makeAPIError } from "../core/error-factory.js";
import { bodyText } from "./json-body.js";
import { APIConnectionError, APITimeoutError, ResonantError } from "../core/errors.js";
import type { Logger } from "./log.js";
import type { ApiKeySetting, Fetch, RequestOptions } from "../core/options.js";
import { getPlatformFetch, TIMEOUT_INIT_KEY, type TimeoutAwareFetch } from "./platform.js";
import { isRetryableMethod, isRetryableStatus, nextRetryDelayMs } from "./retry.js";
import { acceptsStream, cutBodyError } from "./byte-stream.js";
import { SDK_VERSION } from "../version.js";

/** What the transport needs from the client (the key is passed apart, and kept private). */
export interface TransportConfig {
  baseURL: string;
  apiVersion: ApiVersion;
  versioning: "path" | "header";
  timeout: number;
  /** Unset: the call's timeout (defaults.ts). */
  streamIdleTimeout?: number | false | undefined;
  maxRetries: number;
  fetch: Fetch | undefined;
  logger: Logger;
  deprecations: DeprecationTracker;
  defaultHeaders: Record<string, string>;
}

/** Query values; undefined ones are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

/** One call, as a resource describes it. */
export interface RequestSpec {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Relative to the versioned base (`agents/abc`), its ids already encoded by `path`. */
  path: string;
  query?: Query | undefined;
  body?: unknown;
  /** The Accept header (JSON unless a stream is asked for). */
  accept?: string | undefined;
  /** Headers that belong to this call only (e.g. `Last-Event-ID`). */
  headers?: Record<string, string> | undefined;
  options?: RequestOptions | undefined;
}

// Statuses whose answer has no body (a Response with one cannot even be built).
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * The most bytes of an answer read whole (any answer but a stream): 64 MiB,
 * far above any page or import result, so an endless or huge body fails the
 * call instead of filling memory until the timeout.
 */
export const MAX_WHOLE_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * The error of an answer past {@link MAX_WHOLE_ANSWER_BYTES}: a ResonantError, so ky's retry
 * leaves it alone (the same answer would come again) and the transport passes it on as it is.
 * @param announced - The Content-Length that announced too much, if that is how it was found.
 */
export function answerTooLargeError(announced?: number): APIConnectionError {
  const what = announced === undefined ? "was still coming" : `announced ${announced} bytes`;
  return new APIConnectionError(
    `Connection error: the answer's body ${what} past ${MAX_WHOLE_ANSWER_BYTES / 1024 / 1024} MiB (${MAX_WHOLE_ANSWER_BYTES} bytes), the most the SDK reads of an answer that is not a stream; it stopped reading`,
  );
}

/** The Content-Length of an answer when it is more than the cap, else undefined. */
export function announcedTooLarge(contentLength: string | null | undefined): number | undefined {
  const length = Number(contentLength ?? Number.NaN);
  return length > MAX_WHOLE_ANSWER_BYTES ? length : undefined;
}

// ky asks whether a method may be retried before our `shouldRetry`, which decides.
const ALL_METHODS: string[] = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

function newIdempotencyKey(): string {
  const uuid = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `rg-${uuid}`;
}

/**
 * The HTTP core: one ky instance with our hooks (auth, version, logging,
 * deprecation notices) and, per call, ky's retry configured to our policy.
 * It turns every failure into a {@link ResonantError}; parsing bodies is the
 * resources' job.
 */
export class Transport {
  readonly config: TransportConfig;
  readonly #ky: KyInstance;
  readonly #fetch: Fetch | undefined;
  // Decided once: whether the fetch in use times out by itself (see `#timeout`).
  readonly #fetchTimesOut: boolean;
  // The header of a fixed key; private, so no inspect or JSON of the client shows it.
  readonly #authorization: string | undefined;

  /**
   * @param config - The client's resolved options.
   * @param apiKey - The key; held only in the hook's closure, so no inspect or JSON of the client shows it.
   */
  constructor(config: TransportConfig, apiKey: ApiKeySetting) {
    this.config = config;
    this.#fetch = config.fetch ?? getPlatformFetch();
    this.#fetchTimesOut = (this.#fetch as Partial<TimeoutAwareFetch> | undefined)?.handlesTimeout === true;
    // The client hands over a base URL without a trailing slash.
    const prefixUrl = config.versioning === "path" ? `${config.baseURL}/v${config.apiVersion}` : config.baseURL;
    const headers: Record<string, string> = { ...config.defaultHeaders, "x-resonant-sdk": `ts/${SDK_VERSION}` };
    if (config.versioning === "header") headers["x-api-version"] = config.apiVersion;
    // A fixed key is set on each call's headers, last, as the hook would; only a key
    // function needs the hook, which costs an await per call.
    if (typeof apiKey !== "function") this.#authorization = `Bearer ${apiKey}`;
    // A fetch that times out by itself also reads a non-streamed body whole within its attempt;
    // any other is wrapped to do so, inside ky's timeout and retry.
    const fetch = this.#fetchTimesOut ? this.#fetch! : readingWhole(this.#fetch);
    this.#ky = ky.create({
      prefixUrl,
      headers,
      throwHttpErrors: true,
      fetch: fetch as KyOptions["fetch"],
      hooks: {
        beforeRequest:
          typeof apiKey === "function"
            ? [
                async (request) => {
                  request.headers.set("authorization", `Bearer ${await apiKey()}`);
                },
              ]
            : [],
        beforeRetry: [
          ({ request, error, retryCount }) => {
            config.logger.info(`retrying ${request.method} ${request.url} (retry ${retryCount}): ${error.message}`);
          },
        ],
      },
    });
  }

  /** Send a call; resolves with the successful response or throws a ResonantError. */
  async send(spec: RequestSpec): Promise<RawResult> {
    const options = spec.options ?? {};
    const headers: Record<string, string> = { accept: spec.accept ?? "application/json", ...spec.headers };
    // Header names are folded to lower case so a caller's `Idempotency-Key` replaces ours rather than joining it.
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    // Set here, once per call, so every attempt carries the same key.
    if (spec.method === "POST" && headers["idempotency-key"] === undefined) {
      headers["idempotency-key"] = options.idempotencyKey ?? newIdempotencyKey();
    }
    const hasKey = "idempotency-key" in headers;
    if (this.#authorization !== undefined) headers.authorization = this.#authorization;
    const maxRetries = options.maxRetries ?? this.config.maxRetries;
    const signal = options.signal;
    signal?.throwIfAborted();

    // ky computes the delay after `shouldRetry` has seen the error, so the
    // failed answer's headers (its Retry-After) are carried from one to the other in this closure.
    let failedHeaders: Headers | undefined;
    const kyOptions: KyOptions = {
      method: spec.method,
      // Never followed: a redirect would carry the key to wherever it points (same-origin ones
      // included), and the Node transport does not follow either. A 3xx is an APIError.
      redirect: "manual",
      headers,
      ...this.#timeout(options.timeout ?? this.config.timeout),
      retry: {
        limit: maxRetries,
        methods: ALL_METHODS,
        statusCodes: [],
        afterStatusCodes: [],
        shouldRetry: ({ error }) => {
          failedHeaders = undefined;
          if (signal?.aborted) return false;
          if (!isRetryableMethod(spec.method, hasKey)) return false;
          if (error instanceof HTTPError) {
            if (!isRetryableStatus(error.response.status)) return false;
            failedHeaders = error.response.headers;
            return true;
          }
          // Timeouts and network failures, a body cut after the status line included (the body is
          // read within the attempt); anything else (a hook's own error) is not ours to repeat.
          return error instanceof TimeoutError || error instanceof TypeError;
        },
        delay: (attempt) => nextRetryDelayMs({ attempt, headers: failedHeaders }),
      },
      ...(signal ? { signal } : {}),
    };
    if (spec.body !== undefined) {
      // A body made in advance (exact record text, see json-body.ts) goes as it is; any other is ky's to stringify.
      const text = bodyText(spec.body);
      if (text === undefined) kyOptions.json = spec.body;
      else {
        headers["content-type"] = "application/json";
        kyOptions.body = text;
      }
    }

    try {
      const response = await this.#ky(withQuery(spec.path, spec.query), kyOptions);
      this.#observe(spec, response);
      return { response, requestId: response.headers.get("x-request-id") ?? undefined };
    } catch (error) {
      if (error instanceof HTTPError) this.#observe(spec, error.response);
      throw await this.#toResonantError(error, signal);
    }
  }

  /** ky's own timeout, or, for a fetch that times out by itself, the timeout handed to it. */
  #timeout(ms: number): Partial<KyOptions> {
    if (this.#fetchTimesOut) {
      return { timeout: false, [TIMEOUT_INIT_KEY]: ms } as Partial<KyOptions>;
    }
    return { timeout: ms };
  }

  // Done here rather than in a ky afterResponse hook: ky clones the response
  // (a tee of its body stream) for every such hook, on every call.
  #observe(spec: RequestSpec, response: Response): void {
    const { deprecations, apiVersion, logger } = this.config;
    deprecations.observe(response.headers, apiVersion);
    if (logger.level === "debug") {
      logger.debug(
        `${spec.method} ${spec.path} -> ${response.status} (${response.headers.get("x-request-id") ?? "no request id"})`,
      );
    }
  }

  async #toResonantError(error: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    if (error instanceof ResonantError) return error;
    // A user's abort stays the platform's AbortError, as fetch itself throws it.
    if (signal?.aborted) return signal.reason;
    if (error instanceof HTTPError) {
      const body = await error.response.text().catch(() => "");
      return makeAPIError({
        status: error.response.status,
        statusText: error.response.statusText,
        headers: error.response.headers,
        body,
        apiVersion: this.config.apiVersion,
      });
    }
    if (error instanceof TimeoutError) return new APITimeoutError(undefined, { cause: error });
    const message = error instanceof Error ? `Connection error: ${error.message}` : "Connection error.";
    return new APIConnectionError(message, { cause: error });
  }
}

/**
 * `fetch` (the global one, looked up per call so test tools that patch it
 * are seen) with a non-streamed answer's body read whole before it resolves:
 * so ky's timeout covers the body, and a body cut mid-way rejects as a
 * network failure that ky's retry sees. A streamed call or answer (SSE or
 * NDJSON) keeps its body unread.
 */
function readingWhole(fetch: Fetch | undefined): Fetch {
  return async (request, init) => {
    const response = await (fetch ?? globalThis.fetch)(request, init);
    // Decided without touching `body`, which a Response that holds its bytes may build on demand.
    if (NULL_BODY_STATUSES.has(response.status) || request.method === "HEAD") return response;
    if (acceptsStream(request.headers.get("accept")) || acceptsStream(response.headers.get("content-type")))
      return response;
    let body: ArrayBuffer;
    try {
      body = await readCapped(response);
    } catch (error) {
      if (error instanceof ResonantError) throw error;
      throw request.signal.aborted ? error : cutBodyError(error);
    }
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/**
 * An answer's bytes, at most {@link MAX_WHOLE_ANSWER_BYTES}. An answer whose
 * length is announced within the cap, and not compressed (the fetch inflates
 * it, past its announced length), is read by `arrayBuffer()`, the fast road.
 */
async function readCapped(response: Response): Promise<ArrayBuffer> {
  const announced = announcedTooLarge(response.headers.get("content-length"));
  if (announced !== undefined) {
    await response.body?.cancel().catch(() => {});
    throw answerTooLargeError(announced);
  }
  const encoding = response.headers.get("content-encoding");
  const plain = encoding === null || encoding === "identity";
  if (response.body === null || (plain && response.headers.has("content-length"))) return response.arrayBuffer();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_WHOLE_ANSWER_BYTES) {
      await reader.cancel().catch(() => {});
      throw answerTooLargeError();
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  return whole.buffer;
}

/**
 * The path with its query string. Written into the path rather than passed as
 * ky's `searchParams`, which builds the call's Request a second time.
 */
function withQuery(path: string, query: Query | undefined): string {
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.append(key, String(value));
  const search = params.toString();
  return search === "" ? path : `${path}?${search}`;
}
