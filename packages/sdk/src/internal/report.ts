/**
 * What a failed check says: the zod schema the checker was generated from,
 * read the same way, writes the issues (field paths, messages). Loaded only
 * when a check fails (validate.ts imports it dynamically), so zod and the zod
 * schemas stay off the path of every call that passes.
 * @module
 */
import { carriedItems, issueMessage, PARSE_OPTIONS, reading } from "@resonantgenesis/schemas/readings";
import type * as z from "zod/mini";
import type { ValidationIssue } from "../core/errors.js";
import type { Reading } from "./checks.js";
import { loadSchemas } from "./schemas.js";

/**
 * Turn zod issues into our `{ path, message }` form, with dotted paths under
 * an optional prefix. The message is built from the issue's fields (see
 * `issueMessage`) unless the schema, or PARSE_OPTIONS, gave one.
 */
export function toIssues(issues: readonly z.core.$ZodIssue[], prefix = ""): ValidationIssue[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== "").join(".");
    return { path: path || "(root)", message: issueMessage(issue) };
  });
}

/**
 * The issues of `value` against schema `name` of `version`, read `how` (or as
 * an import body, `carried`); empty when zod accepts it.
 */
export async function issuesOf(
  version: Parameters<typeof loadSchemas>[0],
  name: string,
  how: Reading | "carried",
  value: unknown,
  prefix = "",
): Promise<ValidationIssue[]> {
  const schema = (await loadSchemas(version))[name as never] as unknown as z.ZodMiniType;
  const read = how === "carried" ? carriedItems(schema) : reading(schema, how);
  const result = read.safeParse(value, PARSE_OPTIONS);
  return result.success ? [] : toIssues(result.error.issues, prefix);
}
