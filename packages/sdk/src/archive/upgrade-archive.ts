/**
 * The upgrade of a whole archive (the document of `client.data.exportAll()`)
 * to a newer API version's format.
 * @module
 */
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  isKind,
  KINDS,
  kindsOf,
  type ApiVersion,
} from "@resonantgenesis/schemas/meta";
import { RequestValidationError, type ValidationIssue } from "../core/errors.js";
import { isRecord } from "../internal/is-record.js";
import type { Archive } from "../resources/data.js";
import { stepsBetween, versionIssue } from "./chain.js";
import type { AnyArchive, UpgradeTarget } from "./types.js";
import { upgradeRecord } from "./upgrade-record.js";

/** Every reason the envelope cannot be upgraded; the records themselves are `importAll`'s to check. */
function envelopeIssues(archive: Record<string, unknown>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (archive.format !== ARCHIVE_FORMAT) {
    issues.push({ path: "archive.format", message: `is ${JSON.stringify(archive.format)}, not "${ARCHIVE_FORMAT}"` });
  }
  if (archive.format_version !== ARCHIVE_FORMAT_VERSION) {
    issues.push({
      path: "archive.format_version",
      message: `is ${JSON.stringify(archive.format_version)}; this SDK reads format ${ARCHIVE_FORMAT_VERSION}`,
    });
  }
  const version = versionIssue("archive.api_version", archive.api_version);
  if (version) issues.push(version);
  for (const kind of KINDS) {
    if (Object.hasOwn(archive, kind) && !Array.isArray(archive[kind])) {
      issues.push({ path: `archive.${kind}`, message: "must be an array" });
    }
  }
  return issues;
}

/**
 * `archive` in the format of API version `to`: every object upgraded with
 * {@link upgradeRecord} (each new field at its default), the kinds `to` adds
 * as empty arrays, `api_version` set to `to`. Everything else stays as it
 * was: `format`, `exported_at`, top-level keys and record kinds the SDK does
 * not know, and unknown fields of every object.
 *
 * Pure: the input is never mutated; the result shares the objects it did
 * not change. It checks the envelope (format, format version, versions) but
 * not the objects: `importAll` checks the result against `to`'s schemas.
 *
 * @throws {@link RequestValidationError} for a downgrade (`to` older than the
 *   archive), an unknown version, or an envelope that is not an archive.
 * @example
 * ```ts
 * const archive12 = upgradeArchive(archive10, "1.2"); // 1.0 -> 1.1 -> 1.2
 * await client12.data.importAll(archive12);
 * ```
 */
export function upgradeArchive<A extends AnyArchive, To extends UpgradeTarget<A["api_version"]>>(
  archive: A,
  to: To,
): Archive<To> {
  if (!isRecord(archive)) {
    // Its type, as importAll says it: never its value (a string archive is often a whole file's text).
    const got = archive === null ? "null" : Array.isArray(archive) ? "array" : typeof archive;
    throw new RequestValidationError(undefined, {
      issues: [{ path: "archive", message: `must be an object, got ${got}` }],
    });
  }
  const source = archive as Record<string, unknown>;
  const issues = envelopeIssues(source);
  if (issues.length > 0) throw new RequestValidationError(undefined, { issues });
  const from = source.api_version as ApiVersion;
  stepsBetween(from, to, { from: "archive.api_version", to: "to" }); // refuses a downgrade before any work

  // Walk the input's own keys in order, so the output reads like the input. fromEntries defines own
  // properties: an assignment would make a `__proto__` member (JSON.parse keeps it as a plain key) the
  // result's prototype, dropping it from the output and lending its fields (`agents`) to the archive.
  const upgraded: Record<string, unknown> = Object.fromEntries(
    Object.entries(source).map(([key, value]) => [
      key,
      key === "api_version"
        ? to
        : isKind(key)
          ? (value as unknown[]).map((item) => (isRecord(item) ? upgradeRecord(key, item, from, to) : item))
          : value,
    ]),
  );
  for (const kind of kindsOf(to)) {
    if (!Object.hasOwn(upgraded, kind) && !kindsOf(from).includes(kind)) upgraded[kind] = [];
  }
  return upgraded as Archive<To>;
}
