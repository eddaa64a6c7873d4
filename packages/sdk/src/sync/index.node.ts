/**
 * `@resonantgenesis/sdk/sync` as Node resolves it (the `node` export condition): the universal entry, with the
 * Node transport wired as the main entry wires it, since the SyncClient checks its options with a local
 * ResonantClient, which cannot be made before some entry has.
 * @module
 */
import { useNodePlatform } from "../node/platform.js";

export * from "./index.js";

useNodePlatform();
