/**
 * How a Node process sends requests, for the Node entry and the SyncClient's
 * worker: node:http with keep-alive agents by default (see http-attempt.ts),
 * and ky over a `fetch` the caller gives, imported on its first use.
 * @module
 */
import type { Fetch } from "../core/options.js";
import { getPlatformAttempt, sendingWith, setPlatformAttempt } from "../internal/platform.js";
import type { Attempt } from "../internal/wire.js";
import { createNodeAttempt } from "./http-attempt.js";

function lazyFetchAttempt(fetch: Fetch | undefined): Attempt {
  let attempt: Promise<Attempt> | undefined;
  return async (request) => {
    attempt ??= import("../internal/fetch-attempt.js").then((m) => m.fetchAttempt(fetch));
    return (await attempt)(request);
  };
}

/** Makes this process's clients send the Node way; once per thread, whichever entry loads first. */
export function useNodePlatform(): void {
  // The main entry loads the sync entry too: one set of keep-alive agents, not two.
  if (getPlatformAttempt() !== undefined) return;
  setPlatformAttempt(createNodeAttempt());
  sendingWith(lazyFetchAttempt, undefined);
}
