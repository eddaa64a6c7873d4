/**
 * Zod schemas for every version of the ResonantGenesis API, one module per
 * version, each extending the one before, and the types derived from them.
 *
 * ```ts
 * import { v1_2 } from "@resonantgenesis/schemas";
 * const agent: v1_2.Agent = v1_2.Agent.parse(json);
 * ```
 * @module @resonantgenesis/schemas
 */
import * as v1_0 from "./v1.0/index.js";
import * as v1_1 from "./v1.1/index.js";
import * as v1_2 from "./v1.2/index.js";

export * from "./versions.js";
export * from "./common.js";
export * from "./issues.js";
export * from "./readings.js";
export * from "./report.js";
export * from "./checks/index.js";
export * from "./error-codes.js";
export { v1_0, v1_1, v1_2 };

/** The schema module of each API version. */
export const schemas = { "1.0": v1_0, "1.1": v1_1, "1.2": v1_2 } as const;
