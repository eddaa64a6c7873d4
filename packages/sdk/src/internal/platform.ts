import type { Attempt } from "./wire.js";

// The platform's preferred transport, set by the Node entry (node:http with
// keep-alive agents); elsewhere undefined, which means ky over the global
// fetch. Kept here, not imported, so the universal entry never reaches a node: module.
let platformAttempt: Attempt | undefined;

/** @internal Set by the Node entry. */
export function setPlatformAttempt(attempt: Attempt | undefined): void {
  platformAttempt = attempt;
}

/** @internal The transport a client uses when given no `fetch` option. */
export function getPlatformAttempt(): Attempt | undefined {
  return platformAttempt;
}
