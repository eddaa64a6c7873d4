/**
 * `@resonantgenesis/sdk/sync`: the {@link SyncClient} alone (Node only). The
 * main entry exports it too when imported from Node. Elsewhere (a browser's
 * bundle) this entry loads without Node's modules, and constructing a
 * SyncClient throws the ResonantError that says it needs Node.
 *
 * ```ts
 * import { SyncClient } from "@resonantgenesis/sdk/sync";
 * const agents = new SyncClient().agents.list();
 * ```
 * @module
 */
export { SyncClient, SyncClientBase, type SyncClientConstructor } from "./client.js";
export type {
  SyncClientOptions,
  SyncListOptions,
  SyncMethod,
  SyncResource,
  SyncResources,
  ResourceKeys,
} from "./types.js";
export { DEFAULT_MAX_ITEMS } from "../internal/defaults.js";
