/**
 * The types of {@link SyncClient}, derived from {@link ResonantClient}'s so
 * the two cannot drift: every resource method keeps its parameters, and its
 * `APIPromise<T>` becomes `T`, its `PagePromise<T>` becomes `T[]`, and a
 * stream becomes `never` (a blocked thread cannot read one).
 *
 * @packageDocumentation
 */
import type { ApiVersion } from "@resonantgenesis/schemas";
import type { ResonantClient } from "../client.js";
import type { ClientOptions } from "../core/options.js";
import type { PagePromise } from "../core/pagination.js";
import type { APIResource } from "../resources/resource.js";

/** What every sync list call's options add: the cap on the items collected. */
export interface SyncListOptions {
  /**
   * The most items the call returns; past it the call throws instead of
   * filling memory: a positive integer, or `Infinity`. Default 10,000. (Not `limit`: a list's `limit` parameter
   * is already its page size.)
   */
  maxItems?: number | undefined;
}

/**
 * Options of {@link SyncClient}: those of {@link ClientOptions} that can work
 * across threads. `fetch` cannot cross to the worker; a key function is called
 * on the calling thread before every call and must return a string at once.
 */
export type SyncClientOptions<V extends ApiVersion = ApiVersion> = Omit<ClientOptions<V>, "apiKey" | "fetch"> & {
  /** The API key, or a function that returns one synchronously (called before every call). Default: `RESONANT_API_KEY`. */
  apiKey?: string | (() => string) | undefined;
};

// The index (as a string key, as mapped tuple types see it) of a tuple's last element.
type LastKey<A extends readonly unknown[]> =
  Required<A> extends readonly [...infer Head, unknown] ? `${Head["length"]}` : never;

// A call's options minus `signal` (nothing can abort a blocked thread), plus `extra`.
// Distributes over `| undefined`, so an optional options parameter stays optional.
type SyncOptions<O, Extra> = O extends object ? Omit<O, "signal"> & Extra : O;

type SyncArgs<A extends readonly unknown[], Extra> = {
  [K in keyof A]: K extends LastKey<A> ? SyncOptions<A[K], Extra> : A[K];
};

/**
 * One resource method, made synchronous. `Self` is the resource, so a method
 * that demands a later version through its `this` type (`webhooks.import` on a
 * 1.0 client) stays uncallable, as on the async client.
 */
export type SyncMethod<F, Self> = F extends (this: infer This, ...args: infer A) => infer R
  ? Self extends This
    ? R extends PagePromise<infer T>
      ? (...args: SyncArgs<A, SyncListOptions>) => T[]
      : R extends PromiseLike<infer T>
        ? (...args: SyncArgs<A, unknown>) => T
        : never // a stream: use ResonantClient
    : never
  : never;

/** A resource of the async client, made synchronous: the same methods and nested resources (`sessions.steps`). */
export type SyncResource<R> = {
  readonly [K in keyof R]: R[K] extends (...args: never) => unknown ? SyncMethod<R[K], R> : SyncResource<R[K]>;
};

/** The names of `C`'s properties that hold resources. */
export type ResourceKeys<C> = { [K in keyof C]: C[K] extends APIResource<ApiVersion> ? K : never }[keyof C];

/** The resources of a sync client pinned to `V`: exactly those of `ResonantClient<V>`. */
export type SyncResources<V extends ApiVersion> = {
  readonly [K in ResourceKeys<ResonantClient<V>>]: SyncResource<ResonantClient<V>[K]>;
};
