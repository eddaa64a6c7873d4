import type * as z from "zod";
import { RequestValidationError, ResponseValidationError, type ValidationIssue } from "./errors.js";

/** Turn zod issues into our `{ path, message }` form, with dotted paths under an optional prefix. */
export function toIssues(issues: readonly z.core.$ZodIssue[], prefix = ""): ValidationIssue[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== "").join(".");
    const keys = issue.code === "unrecognized_keys" ? ` (${issue.keys.join(", ")})` : "";
    return { path: path || "(root)", message: issue.message + keys };
  });
}

/**
 * Check a request body (or query) before anything is sent. Returns the value
 * as the caller gave it: defaults are the server's to apply, so the wire
 * carries only what the user wrote.
 */
export function validateRequest<T>(schema: z.ZodType, value: T, prefix = ""): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new RequestValidationError({ issues: toIssues(result.error.issues, prefix) });
  return value;
}

/** Check an answer against the pinned version's schema. */
export function validateResponse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  context: { requestId?: string | undefined; apiVersion: string },
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ResponseValidationError({ issues: toIssues(result.error.issues), ...context });
}
