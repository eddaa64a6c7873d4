import type { KIND_TABLE, ApiVersion, VersionsFrom } from "@resonantgenesis/schemas/meta";
import type { ClientOptions } from "./core/options.js";
import { openClient, resourceOf } from "./core-client.js";
import type { Caller } from "./internal/caller.js";
import { fetchAttemptOf } from "./internal/platform.js";
import { Agents } from "./resources/agents.js";
import { Data } from "./resources/data.js";
import { Memories } from "./resources/memories.js";
import { Sessions } from "./resources/sessions.js";
import { Teams } from "./resources/teams.js";
import { Tools, type ToolVersion } from "./resources/tools.js";
import { Triggers } from "./resources/triggers.js";
import { Webhooks } from "./resources/webhooks.js";

/**
 * The async client. Its type depends on the pinned `apiVersion`: a 1.0 client
 * has no `tools`, `teams`, `memories` or `triggers`, and its answers carry
 * only 1.0's fields. Construct it through {@link ResonantClient}.
 */
export class ResonantClientBase<V extends ApiVersion = "1.2"> {
  /** The API version this client is pinned to. */
  readonly apiVersion: V;
  /** The base URL (without the version; a password in it shown as `***`). */
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
  readonly #resources = new Map<unknown, unknown>();

  /** @param options - See {@link ClientOptions}; every one has a default. */
  constructor(options: ClientOptions<V> = {}) {
    // ky over fetch is this client's transport outside Node (ResonantCore uses fetch itself).
    ({ apiVersion: this.apiVersion, baseURL: this.baseURL, caller: this.caller } = openClient(options, fetchAttemptOf));
    this.#options = options;
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
  protected feature<R>(Resource: new (caller: Caller<never>) => R): R {
    return resourceOf(this.caller as Caller<never>, this.#resources, Resource);
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
    return this.feature(Tools);
  }
  get teams() {
    return this.feature(Teams);
  }
  get memories() {
    return this.feature(Memories);
  }
  get triggers() {
    return this.feature(Triggers);
  }
}

/** The constructor of {@link ResonantClient}: the version literal you pass picks the client's type. */
export interface ResonantClientConstructor {
  new <const V extends ApiVersion = "1.2">(options?: ClientOptions<V>): ResonantClient<V>;
  /** The prototype shared by every client. */
  readonly prototype: ResonantClientBase<ApiVersion>;
}

// console.log(client) shows the constructor's name: ResonantClient, not the implementation's, nor what a
// bundler renames it to (ResonantClient2). A pure call, not a statement: a module-level
// Object.defineProperty would keep the class in every bundle, ResonantCore-only apps too.
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
export const ResonantClient = /* @__PURE__ */ Object.defineProperty(ResonantClientImpl, "name", {
  value: "ResonantClient",
}) as unknown as ResonantClientConstructor;
