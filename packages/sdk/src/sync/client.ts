/**
 * {@link SyncClient}: the same resources and errors as {@link ResonantClient},
 * without `await`. A worker thread holds a real `ResonantClient` and makes
 * every call; this side is a thin blocking proxy (see `channel.ts`).
 *
 * @packageDocumentation
 */
import type { ApiVersion } from "@resonantgenesis/schemas";
import { ResonantClient } from "../client.js";
import { clientLogging, resolveApiKey } from "../internal/defaults.js";
import { hideKey } from "../core/redact.js";
import type { DeprecationNotice } from "../internal/deprecation.js";
import type { LogSink } from "../internal/log.js";
import { RequestValidationError, ResonantError } from "../core/errors.js";
import { APIResource } from "../resources/resource.js";
import { assertNodeRuntime, Channel, type CallEvent } from "./channel.js";
import type { WorkerClientOptions } from "./protocol.js";
import type { SyncClientOptions, SyncResources } from "./types.js";

// Methods that yield over time: the caller would have to run while the call
// does, which a thread asleep in Atomics.wait cannot.
const STREAMS = new Set(["sessions.stream", "sessions.follow", "data.exportStream"]);

/** The error a streaming method throws on a {@link SyncClient}. */
export function streamingRefused(name: string): ResonantError {
  return new ResonantError(
    `SyncClient cannot stream (${name}): a stream delivers events while it runs, and a SyncClient blocks until a call ends. ` +
      `Use ResonantClient: for await (const event of client.${name}(...)) { ... }`,
  );
}

/** The function-valued names of an object's prototype chain, up to (not including) `stop`. */
function methodNames(object: object, stop: object): string[] {
  const names = new Set<string>();
  for (
    let proto = Object.getPrototypeOf(object) as object | null;
    proto && proto !== stop;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (name !== "constructor" && typeof descriptor.value === "function") names.add(name);
    }
  }
  return [...names];
}

/**
 * The sync client of the ResonantGenesis API (Node only). Its type depends on
 * the pinned `apiVersion`, like {@link ResonantClientBase}'s; construct it
 * through {@link SyncClient}.
 */
export class SyncClientBase<V extends ApiVersion = "1.2"> {
  /** The API version this client is pinned to. */
  readonly apiVersion: V;
  /** The base URL (without the version). */
  readonly baseURL: string;
  readonly #channel: Channel;
  readonly #keyFunction: (() => string) | undefined;
  readonly #onDeprecation: (notice: DeprecationNotice) => void;
  readonly #logger: LogSink;

  /** @param options - See {@link SyncClientOptions}; every one has a default. */
  constructor(options: SyncClientOptions<V> = {}) {
    assertNodeRuntime();
    if ((options as { fetch?: unknown }).fetch !== undefined) {
      const message =
        "cannot be used by SyncClient: its requests run in a worker thread, where a function cannot be sent";
      // Worded as ResonantClient words a client option it refuses.
      throw new RequestValidationError(`Invalid client options: fetch ${message}`, {
        issues: [{ path: "fetch", message }],
      });
    }
    // A local async client checks the options exactly as ResonantClient does
    // and is the template of the resources; it never sends anything.
    const local = new ResonantClient(options as never) as unknown as Record<string, unknown> &
      ResonantClient<ApiVersion>;
    this.apiVersion = local.apiVersion as V;
    this.baseURL = local.baseURL;
    const apiKey = resolveApiKey(options.apiKey);
    this.#keyFunction = typeof apiKey === "function" ? apiKey : undefined;
    this.#onDeprecation = clientLogging(options, apiKey).onDeprecation;
    this.#logger = options.logger ?? console;
    const { onDeprecation: _callback, logger: _logger, apiKey: _key, ...plain } = options;
    const workerOptions: WorkerClientOptions = {
      ...plain,
      apiVersion: this.apiVersion,
      baseURL: this.baseURL,
      apiKey: typeof apiKey === "string" ? apiKey : undefined,
    };
    this.#channel = new Channel(workerOptions);
    this.#defineResources(local);
  }

  /**
   * Stop the worker thread. Optional: the thread never keeps the process
   * alive. Calls after this throw.
   */
  close(): void {
    this.#channel.close();
  }

  /** A safe summary for logs (never the key). */
  toJSON(): Record<string, unknown> {
    return { apiVersion: this.apiVersion, baseURL: this.baseURL };
  }

  // The resources are those of the local client, found at run time, so a
  // resource added to ResonantClient appears here without a change. Later
  // versions' resources are getters there: reading one on an older pin throws
  // UnsupportedFeatureError, and the getter here passes that on unchanged.
  #defineResources(local: Record<string, unknown>): void {
    const cache = new Map<string, unknown>();
    const define = (name: string, read: () => unknown) =>
      Object.defineProperty(this, name, {
        enumerable: false,
        get: () => {
          if (!cache.has(name)) cache.set(name, this.#proxy(read() as APIResource<ApiVersion>, [name]));
          return cache.get(name);
        },
      });
    for (const [name, value] of Object.entries(local)) if (value instanceof APIResource) define(name, () => value);
    for (
      let proto = Object.getPrototypeOf(local) as object | null;
      proto && proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto) as object | null
    ) {
      for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
        if (descriptor.get !== undefined && !Object.hasOwn(this, name)) define(name, () => local[name]);
      }
    }
  }

  /** A frozen object with one blocking function per method of `resource`, and nested resources likewise. */
  #proxy(resource: APIResource<ApiVersion>, path: string[]): object {
    const proxy: Record<string, unknown> = {};
    for (const name of methodNames(resource, APIResource.prototype)) {
      const full = [...path, name];
      proxy[name] = STREAMS.has(full.join("."))
        ? () => {
            throw streamingRefused(full.join("."));
          }
        : (...args: unknown[]) => this.#call(full, args);
    }
    for (const [name, value] of Object.entries(resource)) {
      if (value instanceof APIResource) proxy[name] = this.#proxy(value as APIResource<ApiVersion>, [...path, name]);
    }
    return Object.freeze(proxy);
  }

  #call(path: string[], args: unknown[]): unknown {
    const callbacks: Record<string, (...callbackArgs: unknown[]) => unknown> = {};
    const last = args.at(-1);
    if (typeof last === "object" && last !== null && Object.getPrototypeOf(last) === Object.prototype) {
      if ("signal" in last && (last as { signal?: unknown }).signal !== undefined) {
        throw new RequestValidationError(undefined, {
          issues: [
            {
              path: "options.signal",
              message:
                "cannot be used by SyncClient: the calling thread is blocked while the call runs, so nothing could abort it; use timeout",
            },
          ],
        });
      }
      const { maxItems } = last as { maxItems?: unknown };
      // Checked here, as any option: a "5" or a -1 would be a cap never reached, or one always passed.
      if (
        maxItems !== undefined &&
        !(maxItems === Infinity || (Number.isSafeInteger(maxItems) && Number(maxItems) > 0))
      )
        throw new RequestValidationError(undefined, {
          issues: [
            { path: "options.maxItems", message: `must be a positive integer or Infinity; got ${String(maxItems)}` },
          ],
        });
      // Functions (onProgress) cannot be cloned: they stay here and the worker calls them back.
      const plain: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(last)) {
        if (typeof value === "function") callbacks[key] = value as (...callbackArgs: unknown[]) => unknown;
        else plain[key] = value;
      }
      args = [...args.slice(0, -1), plain];
    }
    const apiKey = this.#keyFunction === undefined ? undefined : this.#resolveKey(this.#keyFunction);
    const onEvent = (event: CallEvent) => {
      if (event.type === "deprecation") this.#onDeprecation(event.notice);
      else if (event.type === "log") this.#logger[event.level](...event.args);
      else callbacks[event.name]?.(...event.args);
    };
    return this.#channel.call({ path, args, callbacks: Object.keys(callbacks), apiKey }, onEvent);
  }

  #resolveKey(keyFunction: () => string): string {
    const key: unknown = keyFunction();
    // Hidden on this thread too, where the default deprecation warning and the worker's log lines are printed.
    if (typeof key === "string" && key !== "") return hideKey(key);
    if (typeof (key as PromiseLike<unknown> | null)?.then === "function") {
      throw new ResonantError(
        "SyncClient's apiKey function returned a Promise; it must return the key synchronously (a SyncClient cannot await). Fetch the token first, or use ResonantClient.",
      );
    }
    throw new ResonantError("SyncClient's apiKey function returned no key.");
  }
}

/** A sync client pinned to version `V`: the resources of `ResonantClient<V>`, each call returning its value. */
export type SyncClient<V extends ApiVersion = "1.2"> = SyncClientBase<V> & SyncResources<V>;

/** The constructor of {@link SyncClient}: the version literal you pass picks the client's type. */
export interface SyncClientConstructor {
  new <const V extends ApiVersion = "1.2">(options?: SyncClientOptions<V>): SyncClient<V>;
  readonly prototype: SyncClientBase<ApiVersion>;
}

/**
 * The sync client of the ResonantGenesis API, for Node scripts that cannot
 * await: the same options, resources and errors as {@link ResonantClient},
 * each call blocking until its answer. Lists return every item as one array
 * (at most `maxItems`, default 10,000); streams need ResonantClient.
 *
 * @example
 * ```ts
 * const client = new SyncClient({ apiKey: process.env.RESONANT_API_KEY });
 * const agents = client.agents.list();          // Agent[], every page
 * const agent = client.agents.get(agents[0].id);
 * client.close();                               // optional
 * ```
 */
export const SyncClient = SyncClientBase as unknown as SyncClientConstructor;
