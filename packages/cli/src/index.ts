/**
 * `@resonantgenesis/cli`: the `resonant` migration tool. Its archive layer is
 * also exported for scripts that read or write archives as streams.
 *
 * ```ts
 * import { ArchiveReader, ArchiveWriter } from "@resonantgenesis/cli";
 * const reader = new ArchiveReader({ path: "backup.json", name: "backup.json" });
 * for await (const { kind, data } of reader.records()) console.log(kind, data);
 * ```
 * @module @resonantgenesis/cli
 */
export { ArchiveReader, detectLayout, type ReaderOptions } from "./archive/reader.js";
export { ArchiveWriter, type ArchiveHeader, type WrittenArchive } from "./archive/writer.js";
export { checkArchive, type CheckedArchive } from "./archive/validate.js";
export { ARCHIVE_FORMAT, ARCHIVE_FORMAT_VERSION as FORMAT_VERSION } from "@resonantgenesis/schemas/meta";
export { CHECKSUM_PREFIX, type ArchiveInfo, type ArchiveLayout, type ArchiveRecord } from "./archive/format.js";
export { EXIT, CliError, ArchiveError, type ExitCode } from "./exit.js";
export { main } from "./program.js";
export {
  defineMigration,
  type Migration,
  type MigrationContext,
  type KindName,
  type KindObject,
  type KindObjects,
  type KindCreateBodies,
  type Patch,
  type UpdateSpec,
  type UpdateFn,
} from "./migrate/types.js";
export { CLI_VERSION } from "./version.js";
