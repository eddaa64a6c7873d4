import {
  API_VERSION_NAMES,
  KIND_TABLE,
  isApiVersion,
  type ApiVersion,
  type VersionsFrom,
} from "@resonantgenesis/schemas/meta";
import { Caller } from "./internal/caller.js";
import { DeprecationTracker } from "./internal/deprecation.js";
import { isBrowserPage, readEnv } from "./internal/env.js";
import { RequestValidationError, ResonantError, type ValidationIssue } from "./core/errors.js";
import { isLogLevel, LOG_LEVELS } from "./internal/log.js";
import {
  clientLogging,
  DEFAULT_API_VERSION,
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_VALIDATE_RESPONSES,
  DEFAULT_VERSIONING,
  resolveApiKey,
  streamIdleTimeoutIssue,
} from "./internal/defaults.js";
import type { ClientOptions } from "./core/options.js";
import type { AnswerCheck } from "./internal/validate.js";
import { Transport } from "./internal/transport.js";
import { Agents } from "./resources/agents.js";
import { Data } from "./resources/data.js";
import { Memories } from "./resources/memories.js";
import { Sessions } from "./resources/sessions.js";
import { Teams } from "./resources/teams.js";
import { Tools, type ToolVersion } from "./resources/tools.js";
import { Triggers } from "./resources/triggers.js";
import { Webhooks } from "./resources/webhooks.js";

function check(options: ClientOptions<ApiVersion>): void {
  const issues: ValidationIssue[] = [];
  const { apiVersion, versioning, timeout, maxRetries, logLevel } = options;
  if (apiVersion !== undefined && !isApiVersion(apiVersion)) {
    issues.push({
      path: "apiVersion",
      message: `must be one of ${API_VERSION_NAMES.join(", ")}; got ${JSON.stringify(apiVersion)}`,
    });
  }
  if (versioning !== undefined && versioning !== "path" && versioning !== "header") {
    issues.push({ path: "versioning", message: `must be "path" or "header"` });
  }
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0))
    issues.push({ path: "timeout", message: "must be a positive number of ms" });
  const idleIssue = streamIdleTimeoutIssue(options.streamIdleTimeout);
  if (idleIssue !== undefined) issues.push({ path: "streamIdleTimeout", message: idleIssue });
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    issues.push({ path: "maxRetries", message: "must be a whole number, 0 or more" });
  }
  if (logLevel !== undefined && !isLogLevel(logLevel)) {
    issues.push({ path: "logLevel", message: `must be one of ${LOG_LEVELS.map((l) => `"${l}"`).join(", ")}` });
  }
  const { validateResponses } = options;
  if (
    validateResponses !== undefined &&
    typeof validateResponses !== "boolean" &&
    validateResponses !== "compatible" &&
    validateResponses !== "strict"
  ) {
    issues.push({
      path: "validateResponses",
      message: `must be "compatible", "strict", true or false; got ${JSON.stringify(validateResponses)}`,
    });
  }
  if (options.baseURL !== undefined) {
    try {
      new URL(options.baseURL);
    } catch {
      issues.push({ path: "baseURL", message: "must be an absolute URL" });
    }
  }
  if (issues.length > 0)
    throw new RequestValidationError(
      `Invalid client options: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`,
      { issues },
    );
}

/** `validateResponses` as the caller reads it: `true` keeps its old meaning, now called strict. */
function answerCheck(setting: ClientOptions["validateResponses"]): AnswerCheck {
  if (setting === undefined) return DEFAULT_VALIDATE_RESPONSES;
  if (setting === true) return "strict";
  return setting;
}

/**
 * The async client. Its type depends on the pinned `apiVersion`: a 1.0 client
 * has no `tools`, `teams`, `memories` or `triggers`, and its answers carry
 * only 1.0's fields. Construct it through {@link ResonantClient}.
 */
export class ResonantClientBase<V extends ApiVersion = "1.2"> {
  /** The API version this client is pinned to. */
  readonly apiVersion: V;
  /** The base URL (without the version). */
  readonly baseURL: string;
  /** Agents (every version). */
  readonly agents: Agents<V>;
  /** Sessions, their steps and streams (every version; streaming from 1.1). */
  readonly sessions: Sessions<V>;
  /** Outbound webhooks (every version). */
  readonly webhooks: Webhooks<V>;
  /** Whole-account export and import (every version). */
  readonly data: Data<V>;
  /** @internal */
  protected readonly caller: Caller<V>;
  readonly #options: ClientOptions<V>;
  readonly #resources = new Map<string, unknown>();

  /** @param options - See {@link ClientOptions}; every one has a default. */
  constructor(options: ClientOptions<V> = {}) {
    check(options as ClientOptions<ApiVersion>);
    const apiKey = resolveApiKey(options.apiKey);
    if (apiKey === undefined || apiKey === "") {
      throw new ResonantError("No API key: pass the apiKey option or set RESONANT_API_KEY.");
    }
    if (typeof apiKey === "string" && isBrowserPage() && !options.dangerouslyAllowBrowser) {
      throw new ResonantError(
        "A static API key in a browser page can be read by anyone who opens it. Use a key function that fetches a short-lived token from your server, or pass dangerouslyAllowBrowser: true if you accept the risk.",
      );
    }
    this.#options = options;
    this.apiVersion = (options.apiVersion ?? DEFAULT_API_VERSION) as V;
    this.baseURL = (options.baseURL ?? readEnv("RESONANT_BASE_URL") ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    const { logger, onDeprecation } = clientLogging(options, apiKey);
    const transport = new Transport(
      {
        baseURL: this.baseURL,
        apiVersion: this.apiVersion,
        versioning: options.versioning ?? DEFAULT_VERSIONING,
        timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
        streamIdleTimeout: options.streamIdleTimeout,
        maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
        fetch: options.fetch,
        logger,
        deprecations: new DeprecationTracker(onDeprecation),
        defaultHeaders: options.defaultHeaders ?? {},
      },
      apiKey,
    );
    this.caller = new Caller(transport, this.apiVersion, answerCheck(options.validateResponses));
    this.agents = new Agents(this.caller);
    this.sessions = new Sessions(this.caller);
    this.webhooks = new Webhooks(this.caller);
    this.data = new Data(this.caller);
  }

  /** A copy of this client with some options changed (the same version unless given). */
  withOptions<W extends ApiVersion = V>(options: ClientOptions<W>): ResonantClient<W> {
    return new ResonantClient({ ...this.#options, ...options } as ClientOptions<W>) as ResonantClient<W>;
  }

  /** @internal A later version's resource, made on first use; on an older pin, an UnsupportedFeatureError. */
  protected feature<R>(name: LaterKind, make: (caller: Caller<never>) => R): R {
    this.caller.require(name, KIND_TABLE[name].since);
    let resource = this.#resources.get(name) as R | undefined;
    if (resource === undefined) {
      resource = make(this.caller as Caller<never>);
      this.#resources.set(name, resource);
    }
    return resource;
  }

  // Credentials live in the transport's closure, never on an enumerable field,
  // so console.log(client) and JSON.stringify(client) cannot show them.
  /** A safe summary for logs. */
  toJSON(): Record<string, unknown> {
    return { apiVersion: this.apiVersion, baseURL: this.baseURL };
  }
}

/** The kinds whose resource only later versions have (the rest every version has). */
type LaterKind = "tools" | "teams" | "memories" | "triggers";
/** Whether a client pinned to `V` has kind `K`'s resource, per the kinds table. */
type Has<V extends ApiVersion, K extends LaterKind> =
  V extends VersionsFrom<(typeof KIND_TABLE)[K]["since"]> ? true : false;

/** The resources that API 1.1 adds. */
export interface ClientResources11<V extends ToolVersion> {
  /** Custom tools (API 1.1+). */
  readonly tools: Tools<V>;
}

/** The resources that API 1.2 adds. */
export interface ClientResources12 {
  /** Agent teams (API 1.2). */
  readonly teams: Teams;
  /** The memory system (API 1.2). */
  readonly memories: Memories;
  /** Webhook triggers (API 1.2). */
  readonly triggers: Triggers;
}

/** A client pinned to version `V`: the resources and fields of exactly that version. */
export type ResonantClient<V extends ApiVersion = "1.2"> = ResonantClientBase<V> &
  (Has<V, "tools"> extends true ? ClientResources11<V & ToolVersion> : unknown) &
  (Has<V, "teams" | "memories" | "triggers"> extends true ? ClientResources12 : unknown);

class ResonantClientImpl<V extends ApiVersion> extends ResonantClientBase<V> {
  get tools() {
    return this.feature("tools", (caller) => new Tools(caller));
  }
  get teams() {
    return this.feature("teams", (caller) => new Teams(caller));
  }
  get memories() {
    return this.feature("memories", (caller) => new Memories(caller));
  }
  get triggers() {
    return this.feature("triggers", (caller) => new Triggers(caller));
  }
}

/** The constructor of {@link ResonantClient}: the version literal you pass picks the client's type. */
export interface ResonantClientConstructor {
  new <const V extends ApiVersion = "1.2">(options?: ClientOptions<V>): ResonantClient<V>;
  /** The prototype shared by every client. */
  readonly prototype: ResonantClientBase<ApiVersion>;
}

/**
 * The async client of the ResonantGenesis API.
 *
 * @example
 * ```ts
 * const client = new ResonantClient({ apiKey: process.env.RESONANT_API_KEY });
 * const agent = await client.agents.create({ name: "triage", model: "gpt-4-turbo" });
 * const legacy = new ResonantClient({ apiVersion: "1.0" }); // legacy.teams does not compile
 * ```
 */
export const ResonantClient = ResonantClientImpl as unknown as ResonantClientConstructor;
