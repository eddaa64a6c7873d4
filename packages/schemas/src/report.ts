/**
 * What a failed check says: the zod schema a checker was generated from
 * (`@resonantgenesis/schemas/checks`), read the same way, writes the issues
 * (field paths, messages). Loaded only when a check fails, so zod and the zod
 * schemas stay off the path of every value that passes; and only the version
 * the value failed in.
 *
 * ```ts
 * import { issuesOf } from "@resonantgenesis/schemas/report";
 * await issuesOf("1.2", "AgentCreateParams", "strict", { name: 5 }, "body");
 * // [{ path: "body.name", message: "must be a string, got number" }]
 * ```
 * @module @resonantgenesis/schemas/report
 */
import type * as z from "zod/mini";
import { issueMessage, PARSE_OPTIONS } from "./issues.js";
import { carriedItems, reading, type Reading } from "./readings.js";
import type { ApiVersion } from "./versions.js";

/** One problem found in a value: where, and what is wrong. */
export interface Issue {
  /** A dotted path into the value (`agents.3.name`), under the caller's prefix, or `(root)`. */
  path: string;
  /** What is wrong there. */
  message: string;
}

// The literal specifiers let bundlers see (and split) all three.
const loaders: Record<ApiVersion, () => Promise<object>> = {
  "1.0": () => import("./v1.0/index.js"),
  "1.1": () => import("./v1.1/index.js"),
  "1.2": () => import("./v1.2/index.js"),
};
const loading = new Map<ApiVersion, Promise<object>>();

function schemasOf(version: ApiVersion): Promise<object> {
  let pending = loading.get(version);
  if (pending === undefined) {
    pending = loaders[version]();
    loading.set(version, pending);
  }
  return pending;
}

/**
 * zod's issues in the `{ path, message }` form, with dotted paths under an
 * optional prefix. The message is built from the issue's fields (see
 * `issueMessage`) unless the schema, or PARSE_OPTIONS, gave one.
 */
export function toIssues(issues: readonly z.core.$ZodIssue[], prefix = ""): Issue[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== "").join(".");
    return { path: path || "(root)", message: issueMessage(issue) };
  });
}

/**
 * The issues of `value` against the schema `name` of `version`, read `how` (or as
 * an import body whose items are read compatibly, `carried`); empty when zod accepts it.
 */
export async function issuesOf(
  version: ApiVersion,
  name: string,
  how: Reading | "carried",
  value: unknown,
  prefix = "",
): Promise<Issue[]> {
  const schema = (await schemasOf(version))[name as never] as unknown as z.ZodMiniType;
  const read = how === "carried" ? carriedItems(schema) : reading(schema, how);
  const result = read.safeParse(value, PARSE_OPTIONS);
  return result.success ? [] : toIssues(result.error.issues, prefix);
}
