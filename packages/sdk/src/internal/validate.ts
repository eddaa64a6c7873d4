/**
 * Checking a value against a schema by name: the generated checker decides
 * (`@resonantgenesis/schemas/checks`), and only a refusal loads zod, through
 * `@resonantgenesis/schemas/report`, to say what was wrong and where. A checker and zod agree on every schema
 * (packages/schemas/test: the differential test); should zod accept what a
 * checker refused, the value is let through as zod would.
 * @module
 */
import type { ApiVersion } from "@resonantgenesis/schemas/meta";
import { RequestValidationError, ResponseValidationError, type ValidationIssue } from "../core/errors.js";
import type { Reading } from "@resonantgenesis/schemas/checks";

/** How answers are checked: a reading of the version's schemas, or not at all (`validateResponses`). */
export type AnswerCheck = Reading | false;

/** The issues zod finds in a value (`@resonantgenesis/schemas/report`): loads zod and the version's schemas. */
export async function issuesOf(
  ...args: Parameters<typeof import("@resonantgenesis/schemas/report").issuesOf>
): Promise<ValidationIssue[]> {
  return (await import("@resonantgenesis/schemas/report")).issuesOf(...args);
}

/** After a checker refused an answer: a ResponseValidationError with zod's issues. */
export async function refuseAnswer<T>(
  context: { apiVersion: ApiVersion; requestId?: string | undefined },
  name: string,
  how: Reading,
  value: unknown,
): Promise<T> {
  const issues = await issuesOf(context.apiVersion, name, how, value);
  if (issues.length === 0) return value as T;
  throw new ResponseValidationError(undefined, { issues, ...context });
}

/** After a checker refused a request body or query: a RequestValidationError with zod's issues under `prefix`. */
export async function refuseRequest(
  version: ApiVersion,
  name: string,
  carried: boolean,
  value: unknown,
  prefix: string,
): Promise<void> {
  const issues = await issuesOf(version, name, carried ? "carried" : "strict", value, prefix);
  if (issues.length > 0) throw new RequestValidationError(undefined, { issues });
}
