import { KIND_TABLE, type ApiVersion } from "@resonantgenesis/schemas/meta";
import { ResonantError } from "./core/errors.js";
import { redact } from "./core/redact.js";
import { Caller } from "./internal/caller.js";
import {
  clientLogging,
  DEFAULT_API_VERSION,
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_VALIDATE_RESPONSES,
  DEFAULT_VERSIONING,
  resolveApiKey,
} from "./internal/defaults.js";
import { DeprecationTracker } from "./internal/deprecation.js";
import { isBrowserPage, readEnv } from "./internal/env.js";
import { checkOptions } from "./internal/option-checks.js";
import { plainFetchAttempt } from "./internal/plain-fetch-attempt.js";
import { Transport } from "./internal/transport.js";
import type { Attempt } from "./internal/wire.js";
import type { ClientOptions, Fetch } from "./core/options.js";
import type { AnswerCheck } from "./internal/validate.js";

/** `validateResponses` as the caller reads it: `true` keeps its old meaning, now called strict. */
function answerCheck(setting: ClientOptions["validateResponses"]): AnswerCheck {
  if (setting === undefined) return DEFAULT_VALIDATE_RESPONSES;
  if (setting === true) return "strict";
  return setting;
}

/** What a client is made of, once its options are checked: its version, base URL and the caller every resource uses. */
export interface OpenedClient<V extends ApiVersion> {
  apiVersion: V;
  baseURL: string;
  caller: Caller<V>;
}

/**
 * Check a client's options and make its caller, with `fetchAttempt` as the
 * transport over `fetch` (outside Node, or given a `fetch`): ky for
 * ResonantClient, fetch itself for ResonantCore, so an app that only makes a
 * core never bundles ky.
 */
export function openClient<V extends ApiVersion>(
  options: ClientOptions<V>,
  fetchAttempt: (fetch: Fetch | undefined) => Attempt,
): OpenedClient<V> {
  const base = options.baseURL ?? readEnv("RESONANT_BASE_URL");
  checkOptions({ ...options, baseURL: base } as ClientOptions<ApiVersion>, "client");
  const apiKey = resolveApiKey(options.apiKey);
  if (apiKey === undefined || apiKey === "") {
    throw new ResonantError("No API key: pass the apiKey option or set RESONANT_API_KEY.");
  }
  if (typeof apiKey === "string" && isBrowserPage() && !options.dangerouslyAllowBrowser) {
    throw new ResonantError(
      "A static API key in a browser page is readable by anyone: use a key function that fetches a short-lived token from your server, or set dangerouslyAllowBrowser: true to accept the risk.",
    );
  }
  const apiVersion = (options.apiVersion ?? DEFAULT_API_VERSION) as V;
  const baseURL = (base ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const { logger, onDeprecation } = clientLogging(options, apiKey);
  const transport = new Transport(
    {
      baseURL,
      apiVersion,
      versioning: options.versioning ?? DEFAULT_VERSIONING,
      timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
      streamIdleTimeout: options.streamIdleTimeout,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      fetch: options.fetch,
      fetchAttempt,
      logger,
      deprecations: new DeprecationTracker(onDeprecation),
      defaultHeaders: options.defaultHeaders ?? {},
    },
    apiKey,
  );
  // Shown (a field, toJSON, inspect) with a password in it masked; the transport keeps the URL as given.
  return {
    apiVersion,
    baseURL: redact(baseURL),
    caller: new Caller(transport, apiVersion, answerCheck(options.validateResponses)),
  };
}

/**
 * The one instance of a resource class in `made` (keyed by class), made on
 * first use. A class of a later version than the pin (its `kind`'s row of the
 * kinds table: Tools, Teams, Memories, Triggers) throws UnsupportedFeatureError.
 */
export function resourceOf<V extends ApiVersion, R>(
  caller: Caller<V>,
  made: Map<unknown, unknown>,
  Resource: new (caller: Caller<V>) => R,
): R {
  let resource = made.get(Resource) as R | undefined;
  if (resource === undefined) {
    const { kind } = Resource as { kind?: keyof typeof KIND_TABLE };
    if (kind !== undefined) caller.require(kind, KIND_TABLE[kind].since);
    resource = new Resource(caller);
    made.set(Resource, resource);
  }
  return resource;
}

/**
 * The client without its resources: options, the key, the transport and the
 * checks, and nothing else, for apps that count their bytes. Give it the
 * resources an app uses with {@link ResonantCore.use}; each resource class
 * brings only its own code (see docs/getting-started.md, "Small bundles").
 * {@link ResonantClient} is this core with every resource of its version.
 *
 * @example
 * ```ts
 * import { Agents, ResonantCore } from "@resonantgenesis/sdk";
 * const core = new ResonantCore({ apiKey: getToken });
 * const agent = await core.use(Agents).get(id);
 * ```
 */
export class ResonantCore<V extends ApiVersion = "1.2"> {
  /** The API version this client is pinned to. */
  readonly apiVersion: V;
  /** The base URL (without the version; a password in it shown as `***`). */
  readonly baseURL: string;
  /** @internal */
  protected readonly caller: Caller<V>;
  readonly #used = new Map<unknown, unknown>();

  /** @param options - See {@link ClientOptions}; every one has a default. */
  constructor(options: ClientOptions<V> = {}) {
    ({
      apiVersion: this.apiVersion,
      baseURL: this.baseURL,
      caller: this.caller,
    } = openClient(options, plainFetchAttempt));
  }

  /**
   * A resource of this client (`Agents`, `Sessions`, ...), made once per class.
   * A resource of a later version than the pin does not compile, and (for
   * JavaScript) throws an UnsupportedFeatureError.
   */
  use<R>(Resource: new (caller: Caller<V>) => R): R {
    return resourceOf(this.caller, this.#used, Resource);
  }

  // Credentials live in the transport's closure, never on an enumerable field,
  // so console.log(client) and JSON.stringify(client) cannot show them.
  /** A safe summary for logs. */
  toJSON(): Record<string, unknown> {
    return { apiVersion: this.apiVersion, baseURL: this.baseURL };
  }
}
