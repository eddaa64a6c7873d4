import type { Fetch } from "../core/options.js";

// The platform's preferred transport, set by the Node entry (a keep-alive
// node:http fetch); elsewhere undefined, which means the global fetch. Kept
// here, not imported, so the universal entry never reaches a node: module.
let platformFetch: Fetch | undefined;

/** The `init` key under which the transport hands a fetch that handles timeouts its per-attempt timeout (ms). */
export const TIMEOUT_INIT_KEY = "resonantTimeout";

/**
 * A fetch that times out by itself when given `init[TIMEOUT_INIT_KEY]`,
 * rejecting with ky's TimeoutError: it spares ky's per-call AbortController
 * and timer race.
 */
export type TimeoutAwareFetch = Fetch & { readonly handlesTimeout: true };

/** @internal Set by the Node entry. */
export function setPlatformFetch(fetch: Fetch | undefined): void {
  platformFetch = fetch;
}

/** @internal The transport a client uses when given no `fetch` option. */
export function getPlatformFetch(): Fetch | undefined {
  return platformFetch;
}
