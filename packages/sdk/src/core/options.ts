import type { ApiVersion } from "@resonantgenesis/schemas";
import type { DeprecationNotice } from "../internal/deprecation.js";
import type { LogLevel, LogSink } from "../internal/log.js";

/** A key, or a function that returns one (sync or async), called before every attempt so short-lived tokens can be refreshed. */
export type ApiKeySetting = string | (() => string | Promise<string>);

/** A fetch-compatible function. */
export type Fetch = (input: Request, init?: RequestInit) => Promise<Response>;

/** Options of {@link ResonantClient}: see docs/getting-started.md, "Client options". Every one has a default. */
export interface ClientOptions<V extends ApiVersion = ApiVersion> {
  /** The API key (`rg_live_sk_...`, `rg_test_sk_...`) or a JWT, or a function returning one. Default: `RESONANT_API_KEY`. */
  apiKey?: ApiKeySetting | undefined;
  /** Default: `RESONANT_BASE_URL`, else `https://resonantgenesis.xyz/api`. */
  baseURL?: string | undefined;
  /** The API version the client is pinned to. Default `"1.2"`. */
  apiVersion?: V | undefined;
  /** Name the version in the path (`/api/v1.2/agents`, the default) or in the `X-API-Version` header. */
  versioning?: "path" | "header" | undefined;
  /**
   * Milliseconds one attempt may take, from sending the request to the last
   * byte of its answer's body, before it fails with an {@link APITimeoutError}
   * (retried like any timeout). A streamed answer (SSE, NDJSON) is bounded up
   * to its head; its body by `streamIdleTimeout`. Default 60 000.
   */
  timeout?: number | undefined;
  /**
   * Milliseconds a streamed answer (a session stream, the NDJSON export) may
   * go without a byte before the stall counts as a cut: an
   * {@link APITimeoutError}, after which the stream resumes (`Last-Event-ID`,
   * or the export from where it was) up to `maxRetries` times. A positive
   * number, or `false` to wait forever (never the default, never implied by
   * 0). Default: the call's `timeout`.
   */
  streamIdleTimeout?: number | false | undefined;
  /** How many times a failed call is retried (and a cut stream resumed). Default 2. */
  maxRetries?: number | undefined;
  /** A fetch-compatible function. Default: the global `fetch`. */
  fetch?: Fetch | undefined;
  /** Called once per client and version when the server says the version is deprecated. Default: one console warning. */
  onDeprecation?: ((notice: DeprecationNotice) => void) | undefined;
  /** How much the client logs. `RESONANT_LOG` overrides it. Keys and secrets are always redacted. Default `"warn"`. */
  logLevel?: LogLevel | undefined;
  /**
   * Where the client's log lines go: `console`, or anything with its four methods (a pino or winston
   * logger, say). Lines arrive at `logLevel` and quieter, prefixed `[resonant]`, already redacted.
   * Default `console`.
   */
  logger?: LogSink | undefined;
  /** Allow a static key in a browser page, where anyone can read it. Default false. */
  dangerouslyAllowBrowser?: boolean | undefined;
  /**
   * How answers are checked against the pinned version's schemas
   * (docs/compatibility.md). `"compatible"` (the default): what docs/protocol.md
   * section 8 lets a server add (fields, enum values, event types, record
   * kinds, relaxed limits) never fails a call and reaches you as it came.
   * `"strict"` (or `true`): anything outside the version's schemas, unknown
   * fields included, throws a `ResponseValidationError`; for tests. `false`:
   * no check. Request bodies are always checked strictly.
   */
  validateResponses?: "compatible" | "strict" | boolean | undefined;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string> | undefined;
}

/** Options that every call takes last. */
export interface RequestOptions {
  /** Abort the call (and any retry wait). */
  signal?: AbortSignal | undefined;
  /** Milliseconds one attempt of this call may take, its answer's body included (see {@link ClientOptions.timeout}). */
  timeout?: number | undefined;
  /** For a streamed call: how long it may go without a byte (see {@link ClientOptions.streamIdleTimeout}). */
  streamIdleTimeout?: number | false | undefined;
  /** Retries for this call. */
  maxRetries?: number | undefined;
  /**
   * The idempotency key of a POST (default: one the SDK makes, kept across retries) or a PATCH (default none);
   * a PATCH given one is retried as a POST is. GET and DELETE send none.
   */
  idempotencyKey?: string | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
}
