/**
 * `@resonantgenesis/sdk/sync`: the {@link SyncClient} alone (Node only). The
 * main entry exports it too when imported from Node.
 *
 * ```ts
 * import { SyncClient } from "@resonantgenesis/sdk/sync";
 * const agents = new SyncClient().agents.list();
 * ```
 * @module
 */
import { useNodePlatform } from "../node/platform.js";

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

// Imported alone, this entry wires the Node transport as the main entry does: the SyncClient checks its options
// with a local ResonantClient, which cannot be made before some entry has.
useNodePlatform();
