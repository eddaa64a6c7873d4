/**
 * Upgrading exported data between API versions (1.0 -> 1.1 -> 1.2), offline:
 * a whole archive, or one object at a time for streams.
 * @module
 */
export { upgradeArchive } from "./upgrade-archive.js";
export { upgradeRecord } from "./upgrade-record.js";
export type { AnyArchive, UpgradeTarget } from "./types.js";
