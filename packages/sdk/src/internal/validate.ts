import { issueMessage, PARSE_OPTIONS } from "@resonantgenesis/schemas/meta";
import type * as z from "zod/mini";
import { RequestValidationError, ResponseValidationError, type ValidationIssue } from "../core/errors.js";
import { FAIL, fastParser } from "./fast-parse.js";
import { fastValidator } from "./fast-validate.js";

/**
 * The options every check parses with, declared once in the schemas package
 * (the mock parses with the same): each issue gets its short English message.
 */
export { PARSE_OPTIONS };

/**
 * Turn zod issues into our `{ path, message }` form, with dotted paths under
 * an optional prefix. The message is built from the issue's fields (see
 * `issueMessage`) unless the schema, or {@link PARSE_OPTIONS}, gave one.
 */
export function toIssues(issues: readonly z.core.$ZodIssue[], prefix = ""): ValidationIssue[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== "").join(".");
    return { path: path || "(root)", message: issueMessage(issue) };
  });
}

/**
 * Check a request body (or query) before anything is sent. Returns the value
 * as the caller gave it: defaults are the server's to apply, so the wire
 * carries only what the user wrote.
 */
export function validateRequest<T>(schema: z.ZodMiniType, value: T, prefix = ""): T {
  // What the fast parser accepts, zod accepts: only a refusal needs zod, for its issues.
  if (fastParser(schema)(value) !== FAIL) return value;
  const result = schema.safeParse(value, PARSE_OPTIONS);
  if (!result.success) throw new RequestValidationError(undefined, { issues: toIssues(result.error.issues, prefix) });
  return value;
}

/** How answers are checked: a reading of the version's schemas, or not at all (`validateResponses`). */
export type AnswerCheck = "compatible" | "strict" | false;

/**
 * Check an answer against the pinned version's schema, already read the
 * client's way (`reading(schema, how)`). Answers are nearly always valid, so
 * the schema's fast parser goes first (same result as zod, several times
 * quicker); zod runs only when it declines, and then reports.
 *
 * A compatible reading neither strips, defaults nor transforms, so a value it
 * accepts is handed back as it came: unknown fields keep their place and
 * order, and an export then import carries them byte for byte.
 */
export function validateResponse<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  context: { requestId?: string | undefined; apiVersion: string },
  how: Exclude<AnswerCheck, false> = "strict",
): z.infer<S> {
  if (how === "compatible") {
    // Nothing to build: a compatible reading keeps the value, so checking is all.
    if (fastValidator(schema)(value)) return value as z.infer<S>;
  } else {
    const fast = fastParser(schema)(value);
    if (fast !== FAIL) return fast as z.infer<S>;
  }
  const result = schema.safeParse(value, PARSE_OPTIONS);
  if (result.success) return (how === "compatible" ? value : result.data) as z.infer<S>;
  throw new ResponseValidationError(undefined, { issues: toIssues(result.error.issues), ...context });
}
