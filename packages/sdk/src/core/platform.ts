import type { Fetch } from "./options.js";

// The platform's preferred transport, set by the Node entry (a keep-alive
// node:http fetch); elsewhere undefined, which means the global fetch. Kept
// here, not imported, so the universal entry never reaches a node: module.
let platformFetch: Fetch | undefined;

/** @internal Set by the Node entry. */
export function setPlatformFetch(fetch: Fetch | undefined): void {
  platformFetch = fetch;
}

/** @internal The transport a client uses when given no `fetch` option. */
export function getPlatformFetch(): Fetch | undefined {
  return platformFetch;
}
