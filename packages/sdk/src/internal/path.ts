/**
 * Building request paths from ids safely. An id is data, never route: a
 * value like `../x`, `a/b`, `?x` or `#` must not reach another endpoint, so
 * every value is percent-encoded and the few values that encoding leaves
 * dangerous (`.`, `..`, empty) are refused before anything is sent.
 *
 * @packageDocumentation
 */
import { RequestValidationError } from "../core/errors.js";

// Shown in errors; long enough to recognise, short enough not to flood logs.
const PREVIEW_LENGTH = 60;

function describe(value: unknown): string {
  if (typeof value === "string") {
    const shown = value.length > PREVIEW_LENGTH ? `${value.slice(0, PREVIEW_LENGTH)}…` : value;
    return JSON.stringify(shown);
  }
  if (value === null) return "null";
  return typeof value;
}

/**
 * A tagged template for request paths: ``path`agents/${id}/steps` ``.
 * Each interpolated value is encoded with `encodeURIComponent`.
 *
 * @param strings - The literal parts (trusted: written in the SDK's source).
 * @param values - The parameters: non-empty strings other than `.` and `..`.
 * @returns The path.
 * @throws RequestValidationError naming each bad parameter (its position,
 *   the literal text before it, and the value), with nothing sent.
 */
export function path(strings: TemplateStringsArray, ...values: unknown[]): string {
  const issues: { path: string; message: string }[] = [];
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    let encoded: string | undefined;
    let problem: string | undefined;
    if (typeof value !== "string") problem = `must be a string, got ${describe(value)}`;
    else if (value === "" || value === "." || value === "..") problem = `must not be ${describe(value)}`;
    else {
      try {
        encoded = encodeURIComponent(value);
      } catch {
        // encodeURIComponent throws on lone UTF-16 surrogates.
        problem = `is not valid Unicode: ${describe(value)}`;
      }
    }
    if (problem !== undefined || encoded === undefined) {
      const before = (strings[index] ?? "").replace(/\/$/, "").split("/").pop() || "(start)";
      issues.push({ path: `path parameter ${index + 1} (after "${before}")`, message: problem ?? "is invalid" });
    }
    out += (encoded ?? "") + (strings[index + 1] ?? "");
  });
  if (issues.length > 0) throw new RequestValidationError(undefined, { issues });
  return out;
}
