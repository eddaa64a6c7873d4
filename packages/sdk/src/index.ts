/**
 * The official TypeScript SDK of the ResonantGenesis agent platform.
 *
 * ```ts
 * import { ResonantClient } from "@resonantgenesis/sdk";
 * const client = new ResonantClient();
 * const archive = await client.data.exportAll();
 * ```
 * @module
 */
export * from "./public.js";
export { ResonantClient, ResonantClientBase } from "./client-over-ky.js";
