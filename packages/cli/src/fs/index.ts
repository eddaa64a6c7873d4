/**
 * The safe file pieces every command writes through: atomic outputs
 * ({@link SafeFile}, {@link writeFileAtomic}), durable append-only logs
 * ({@link DurableLog}), and the same-file check run before anything is opened
 * ({@link refuseSameFile}). Errors are CliErrors naming the flag and the path
 * ({@link fileError}), exit 1. docs/guarantees.md ("Files it writes") states what they promise.
 * @module
 */
export { DurableLog, type DurableLogOptions, type ExistingFile } from "./durable-log.js";
export { causeOf, fileError } from "./file-error.js";
export { refuseSameFile, type InputPath, type OutputPath } from "./same-file.js";
export { SafeFile, writeFileAtomic, type SafeFileOptions } from "./safe-file.js";
export { classifyTarget, type TargetKind } from "./target.js";
