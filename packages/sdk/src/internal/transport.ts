import type { ApiVersion } from "@resonantgenesis/schemas";
import { makeAPIError, reasonOf } from "../core/error-factory.js";
import { APIConnectionError, APITimeoutError, ResonantError } from "../core/errors.js";
import { hideKey } from "../core/redact.js";
import type { ApiKeySetting, Fetch, RequestOptions } from "../core/options.js";
import { Answer, textOf } from "./answer.js";
import { acceptsStream } from "./byte-stream.js";
import type { DeprecationTracker } from "./deprecation.js";
import { takeBodyText } from "./json-body.js";
import type { Logger } from "./log.js";
import { BAD_HEADER_VALUE, checkOptions } from "./option-checks.js";
import { getPlatformAttempt } from "./platform.js";
import { isRetryableMethod, isRetryableStatus, nextRetryDelayMs, sleep } from "./retry.js";
import { ATTEMPT, type Attempt, AttemptTimeout, type HeaderBag, toHeaders, type WireAnswer } from "./wire.js";

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
  /** The transport over `fetch` (a given one, or the global one where the platform has no better). */
  fetchAttempt: (fetch: Fetch | undefined) => Attempt;
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
  /** The most bytes of its whole answer, where a call's answer is as large as the account (default 64 MiB). */
  maxBytes?: number | undefined;
  options?: RequestOptions | undefined;
}

function newIdempotencyKey(): string {
  const uuid = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `rg-${uuid}`;
}

/**
 * The key to send, refused unless it can be sent (`Bearer undefined` would come back a 401 that blames the
 * key), with a ResonantError that says what is wrong and never shows it; its words load only then.
 * Thrown in the attempt's try, so it ends the call unretried, before anything is sent. `given`: the
 * client's setting (a fixed key, or the function that answered `key`).
 */
async function keyOf(key: unknown, given: ApiKeySetting): Promise<string> {
  // Else it cannot go in a header as it is (core/key.ts says why; a CRLF .env file's `\r`, say).
  if (typeof key === "string" && !BAD_HEADER_VALUE.test(key)) return key;
  throw new ResonantError((await import("../core/key.js")).keyRefusal(key, typeof given !== "function"));
}

/** Header names folded to lower case, so a caller's `Idempotency-Key` replaces ours rather than joining it. */
function addLowered(into: Record<string, string>, headers: Record<string, string> | undefined): void {
  if (headers !== undefined) for (const name of Object.keys(headers)) into[name.toLowerCase()] = headers[name]!;
}

/**
 * The client's HTTP core: every call of every resource comes here. It builds
 * the request, and decides alone what is retried, how long it waits (backoff,
 * `Retry-After`), what each attempt may take and which key makes a POST safe
 * to repeat (docs/retries-and-timeouts.md); a transport ({@link Attempt}) only
 * sends and reads. Every failure leaves as a {@link ResonantError}, or the
 * caller's own abort reason.
 */
export class Transport {
  readonly config: TransportConfig;
  readonly #attempt: Attempt;
  readonly #base: string;
  // Set on every call (the key's header is set on every attempt).
  readonly #headers: Record<string, string>;
  // The key, or the function that answers it: private, so no inspect or JSON of the client shows it.
  readonly #key: ApiKeySetting;

  /**
   * @param config - The client's resolved options.
   * @param apiKey - The key; held privately, so no inspect or JSON of the client shows it.
   */
  constructor(config: TransportConfig, apiKey: ApiKeySetting) {
    this.config = config;
    const given = config.fetch as (Fetch & { [ATTEMPT]?: Attempt }) | undefined;
    this.#attempt =
      given?.[ATTEMPT] ?? (given === undefined ? getPlatformAttempt() : undefined) ?? config.fetchAttempt(given);
    // The client hands over a base URL without a trailing slash.
    this.#base = config.versioning === "path" ? `${config.baseURL}/v${config.apiVersion}/` : `${config.baseURL}/`;
    const headers: Record<string, string> = {};
    addLowered(headers, config.defaultHeaders);
    if (config.versioning === "header") headers["x-api-version"] = config.apiVersion;
    this.#headers = headers;
    this.#key = apiKey;
  }

  /** Send a call; resolves with its successful answer or throws a ResonantError (or the caller's abort reason). */
  async send(spec: RequestSpec): Promise<Answer> {
    const options = spec.options ?? {};
    checkOptions(options, "request", "options.");
    const headers: Record<string, string> = { ...this.#headers, accept: spec.accept ?? "application/json" };
    addLowered(headers, spec.headers);
    addLowered(headers, options.headers);
    // Set once per call, so every attempt carries the same key: a POST always has one, and a PATCH the one it is
    // given, which lets it be retried as a POST is (GET and DELETE are retried without one and send none).
    if (headers["idempotency-key"] === undefined && !isRetryableMethod(spec.method, false)) {
      const key = options.idempotencyKey ?? (spec.method === "POST" ? newIdempotencyKey() : undefined);
      if (key !== undefined) headers["idempotency-key"] = key;
    }
    if (spec.body !== undefined) headers["content-type"] = "application/json";
    const url = this.#base + withQuery(spec.path, spec.query);
    const signal = options.signal;
    const maxRetries = options.maxRetries ?? this.config.maxRetries;
    const mayRetry = isRetryableMethod(spec.method, "idempotency-key" in headers);
    const request = {
      method: spec.method,
      url,
      headers,
      // Held by the request alone (a local would keep it for the whole call): an attempt may swap it for its bytes.
      // A body made in advance (exact record text, see json-body.ts) goes as it is.
      body: spec.body === undefined ? undefined : (takeBodyText(spec.body) ?? JSON.stringify(spec.body)),
      timeoutMs: options.timeout ?? this.config.timeout,
      signal,
      stream: acceptsStream(headers.accept),
      maxBytes: spec.maxBytes,
    };

    for (let retry = 0; ; retry++) {
      signal?.throwIfAborted();
      let wire: WireAnswer;
      try {
        // Set on every attempt, so the client's own key wins over any header of the same name, as it always has;
        // a fixed key that cannot be sent is refused by every call, before it sends anything.
        const key = this.#key;
        // A key function's wait is bounded as the attempt is; its module loads only for a key function.
        const given =
          typeof key === "function"
            ? await (await import("./key-wait.js")).keyWithin(key, request, AttemptTimeout)
            : key;
        headers.authorization = `Bearer ${hideKey(await keyOf(given, key))}`;
        wire = await this.#attempt(request);
      } catch (error) {
        const failure = this.#failure(error, signal);
        // Timeouts and network failures, a body cut mid-way included; anything else (an answer past the cap,
        // a key function's own error) would come again.
        const again = error instanceof TypeError || error instanceof AttemptTimeout;
        if (!again || !mayRetry || retry >= maxRetries || signal?.aborted) throw failure;
        await this.#pause(spec, retry + 1, maxRetries, (failure as Error).message, undefined, signal);
        continue;
      }
      this.#observe(spec, wire);
      if (wire.status >= 200 && wire.status < 300) return new Answer(wire);
      await wire.stream?.cancel().catch(() => {});
      // A 429 or 408 says nothing was done: any method may go again, a PATCH too (retry.ts).
      if (isRetryableStatus(wire.status, mayRetry) && retry < maxRetries) {
        const why = `${wire.status} ${reasonOf(wire.status, wire.statusText) ?? ""}`.trim();
        await this.#pause(spec, retry + 1, maxRetries, why, wire.headers, signal);
        continue;
      }
      throw makeAPIError({
        status: wire.status,
        statusText: wire.statusText,
        headers: toHeaders(wire.headers),
        // Redacted once parsed (the error's fields): in the raw text, a key echoed with a JSON escape in it
        // (`rg_test_sk_A\u0055DIT...`) matched no pattern past the escape, and decoded whole after.
        body: textOf(wire.whole),
        apiVersion: this.config.apiVersion,
      });
    }
  }

  /**
   * Wait before retry number `retry`: the server's Retry-After when it gave one in reach, else the backoff.
   * Announced at `info`, the one place that knows a retry follows (a CLI's warnings come from here).
   */
  async #pause(
    spec: RequestSpec,
    retry: number,
    of: number,
    why: string,
    headers: HeaderBag | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const ms = nextRetryDelayMs({ attempt: retry, headers });
    this.config.logger.info(
      `retrying ${spec.method} ${spec.path} in ${+(ms / 1000).toFixed(1)} s (retry ${retry} of ${of}): ${why}`,
    );
    await sleep(ms, signal);
  }

  #observe(spec: RequestSpec, answer: WireAnswer): void {
    const { deprecations, apiVersion, logger } = this.config;
    // A 410 is the version gone: its ApiVersionGoneError says so, and a notice that it "may" go would only repeat it.
    if (answer.status !== 410) deprecations.observe(answer.headers, apiVersion);
    if (logger.level === "debug") {
      logger.debug(
        `${spec.method} ${spec.path} -> ${answer.status} (${answer.headers.get("x-request-id") ?? "no request id"})`,
      );
    }
  }

  #failure(error: unknown, signal: AbortSignal | undefined): unknown {
    if (error instanceof ResonantError) return error;
    // A user's abort stays the platform's AbortError, as fetch itself throws it.
    if (signal?.aborted) return signal.reason;
    if (error instanceof AttemptTimeout) return new APITimeoutError(undefined, { cause: error });
    // Else the class's own "Connection error.".
    return new APIConnectionError(error instanceof Error ? `Connection error: ${error.message}` : undefined, {
      cause: error,
    });
  }
}

/** The path with its query string; undefined values are left out. */
function withQuery(path: string, query: Query | undefined): string {
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.append(key, String(value));
  const search = params.toString();
  return search === "" ? path : `${path}?${search}`;
}
