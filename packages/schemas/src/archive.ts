/**
 * What every archive of docs/protocol.md section 6 starts with: its `format`
 * tag, its format version and the header keys. The SDK's `exportAll` and
 * import, and the CLI's reader and writer take them from here.
 * @module
 */
import type { ApiVersion } from "./versions.js";

/** The `format` tag every archive carries. */
export const ARCHIVE_FORMAT = "resonantgenesis.export";

/** The archive format version this package describes (`format_version`). */
export const ARCHIVE_FORMAT_VERSION = 1;

/** The top-level keys of an archive's header: any other top-level array is a kind. */
export const ARCHIVE_HEADER_KEYS = ["format", "format_version", "api_version", "exported_at"] as const;

/** One key of an archive's header. */
export type ArchiveHeaderKey = (typeof ARCHIVE_HEADER_KEYS)[number];

/** True for a key of an archive's header. */
export function isArchiveHeaderKey(key: string): key is ArchiveHeaderKey {
  return (ARCHIVE_HEADER_KEYS as readonly string[]).includes(key);
}

/** An archive's header, in the protocol's key order (`exported_at` now unless given). */
export function archiveHeader(apiVersion: ApiVersion, exportedAt: string = new Date().toISOString()) {
  return {
    format: ARCHIVE_FORMAT,
    format_version: ARCHIVE_FORMAT_VERSION,
    api_version: apiVersion,
    exported_at: exportedAt,
  } as const;
}
