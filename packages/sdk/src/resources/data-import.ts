import {
  importableIn,
  importOrder as kindsInImportOrder,
  importSinceOf,
  isArchiveHeaderKey,
  isKind,
  KIND_TABLE,
  kindsOf,
  type ApiVersion,
} from "@resonantgenesis/schemas/meta";
import type { Caller, InputSchemas, SchemaName } from "../internal/caller.js";
import { RequestValidationError, UnsupportedFeatureError, type ValidationIssue } from "../core/errors.js";
import type { RequestOptions } from "../core/options.js";
import type { RequestSpec } from "../internal/transport.js";
import { loadChecks } from "@resonantgenesis/schemas/checks";
import { isRecord } from "../internal/is-record.js";
import { issuesOf } from "../internal/validate.js";
import { exactBody } from "../internal/json-body.js";
import { RawJson } from "../core/lossless-json.js";

/**
 * A body whose items include {@link RawJson} (an archive record carried as
 * its own text): checked with each such item's parsed value, sent as the
 * exact text (json-body.ts), so nothing in a record is re-serialised or
 * rounded. Any other body comes back as it is.
 */
function exactItems(kind: string, body: Record<string, unknown>): Record<string, unknown> {
  const items = body[kind];
  if (!Array.isArray(items) || !items.some((item) => item instanceof RawJson)) return body;
  const checked = { ...body, [kind]: items.map((item: unknown) => (item instanceof RawJson ? item.value : item)) };
  return exactBody(body, checked) as Record<string, unknown>;
}

/**
 * The call of one `POST /<kind>/import`. Items may be {@link RawJson}: they are checked by their value and sent as their text. A known kind's body is checked by
 * its import schema (envelope strict, items compatible); a newer server's
 * kind, which no schema here describes, only for what any import needs:
 * at most 1,000 items, each an object.
 */
export function importSpec<V extends ApiVersion>(
  caller: Caller<V>,
  kind: string,
  body: Record<string, unknown>,
  options: RequestOptions,
): { spec: RequestSpec; input: InputSchemas<V> } {
  if (!importableIn(caller.apiVersion, kind)) {
    throw new UnsupportedFeatureError(undefined, {
      feature: `importing ${kind}`,
      apiVersion: caller.apiVersion,
      requiredVersion: importSinceOf(kind),
    });
  }
  body = exactItems(kind, body);
  const spec: RequestSpec = { method: "POST", path: `${encodeURIComponent(kind)}/import`, body, options };
  if (isKind(kind)) return { spec, input: { body: KIND_TABLE[kind].importRequest as SchemaName<V>, carried: true } };
  const items = body[kind] as readonly unknown[];
  const issues: ValidationIssue[] = [];
  if (items.length > 1000) issues.push({ path: `body.${kind}`, message: "must have at most 1000 items" });
  items.forEach((item, i) => {
    if (!isRecord(item)) issues.push({ path: `body.${kind}.${i}`, message: "must be an object" });
  });
  if (issues.length > 0) throw new RequestValidationError(undefined, { issues });
  return { spec, input: {} };
}

/**
 * Check a whole archive before anything is sent: that it is an object, its version, every known
 * kind by the version's schema (read compatibly, so a newer server's fields
 * and values pass), and every other top-level array (a newer server's kind)
 * as a list of objects. Returns the archive's arrays by kind, as they came.
 */
export async function checkArchive<V extends ApiVersion>(
  caller: Caller<V>,
  archive: unknown,
): Promise<Record<string, unknown[]>> {
  const version = caller.apiVersion;
  // Not an object (null, a string, an array...): no version to compare, and the schema check below says
  // "archive: must be an object, got null" (the type, never the value) before anything is sent.
  const declared = isRecord(archive) ? archive.api_version : version;
  if (declared !== version) {
    throw new RequestValidationError(undefined, {
      issues: [
        {
          path: "archive.api_version",
          message: `is ${JSON.stringify(declared)}; this client imports ${version} archives`,
        },
      ],
    });
  }
  // Read compatibly whatever validateResponses says: an import carries what
  // an export gave, and each batch's import schema checks it again.
  const { checks } = await loadChecks(version, "compatible");
  const issues = checks.Archive!(archive) ? [] : await issuesOf(version, "Archive", "compatible", archive, "archive");
  // Without a prototype: a kind named __proto__ (a newer server may name kinds as it likes) is a key like any other.
  const arrays: Record<string, unknown[]> = Object.create(null);
  for (const [key, value] of Object.entries(isRecord(archive) ? archive : {})) {
    if (isArchiveHeaderKey(key) || !Array.isArray(value)) continue;
    arrays[key] = value;
    if (isKind(key)) continue;
    value.forEach((item, i) => {
      if (!isRecord(item)) issues.push({ path: `archive.${key}.${i}`, message: "must be an object" });
    });
  }
  if (issues.length > 0) throw new RequestValidationError(undefined, { issues });
  // Refuse up front rather than half-import.
  for (const [kind, items] of Object.entries(arrays)) {
    if (items.length > 0 && !importableIn(version, kind)) {
      throw new UnsupportedFeatureError(undefined, {
        feature: `importing ${kind}`,
        apiVersion: version,
        requiredVersion: importSinceOf(kind),
      });
    }
  }
  return arrays;
}

/**
 * The order to import an archive's kinds: the known ones the version has in
 * dependency order, then a newer server's, as the archive lists them.
 */
export function importOrder(version: ApiVersion, arrays: Record<string, unknown[]>): string[] {
  const known = kindsOf(version);
  return kindsInImportOrder(Object.keys(arrays)).filter((kind) => !isKind(kind) || known.includes(kind));
}
