import type { Fetch } from "../core/options.js";
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

// How ResonantClient sends through a `fetch`: ky over it, wired with ResonantClient outside Node
// (client-over-ky.ts) and loaded on first use on Node (node/platform.ts), since ky's first import costs a
// Node process about 30 ms (it reads the fetch globals, which load undici) and Node's own transport needs
// none of it. Every entry wires it (client-over-ky.ts wires it with ResonantClientBase too), so
// ResonantClient's bundle does not also carry the plain fetch road ResonantCore takes.
let viaFetch: ((fetch: Fetch | undefined) => Attempt) | undefined;

/** @internal Wires ResonantClient's attempt over `fetch`; answers `value`, so a bundler keeps it only with it. */
export function sendingWith<T>(attempt: (fetch: Fetch | undefined) => Attempt, value: T): T {
  viaFetch = attempt;
  return value;
}

/** @internal ResonantClient's attempt over `fetch` (the global one when undefined). */
export function fetchAttemptOf(fetch: Fetch | undefined): Attempt {
  return viaFetch!(fetch); // set by every entry before a client can be made, see above
}
