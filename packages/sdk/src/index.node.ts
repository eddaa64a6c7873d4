/**
 * The Node entry of `@resonantgenesis/sdk` (the package's `node` export
 * condition): everything of the universal entry plus {@link SyncClient},
 * which needs worker threads. Browsers and edge runtimes get `index.ts`, so
 * their bundles never see worker code.
 *
 * ```ts
 * import { ResonantClient, SyncClient } from "@resonantgenesis/sdk";
 * ```
 * @module
 */
export * from "./index.js";
export * from "./sync/index.js";
