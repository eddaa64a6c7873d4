/**
 * Which steps take an object from one API version to another, and the
 * refusal of anything that is not an upgrade.
 * @module
 */
import { API_VERSION_NAMES, isApiVersion, type ApiVersion } from "@resonantgenesis/schemas/meta";
import { RequestValidationError, type ValidationIssue } from "../core/errors.js";
import { UPGRADE_STEPS, type UpgradeStep } from "./steps.js";

/** Why `version` (at `path`) cannot be used, or undefined when it can. */
export function versionIssue(path: string, version: unknown): ValidationIssue | undefined {
  if (isApiVersion(version)) return undefined;
  return {
    path,
    message: `is ${JSON.stringify(version)}, not an API version this SDK knows (${API_VERSION_NAMES.join(", ")})`,
  };
}

/**
 * The steps from `from` to `to`, in order (none when they are equal).
 * Throws a {@link RequestValidationError} for an unknown version or a
 * downgrade: going back would drop fields a newer version's objects hold,
 * which an upgrade must never do.
 */
export function stepsBetween(
  from: ApiVersion,
  to: ApiVersion,
  path = { from: "from", to: "to" },
): readonly UpgradeStep[] {
  const issues = [versionIssue(path.from, from), versionIssue(path.to, to)].filter((issue) => issue !== undefined);
  if (issues.length > 0) throw new RequestValidationError(undefined, { issues });
  const start = API_VERSION_NAMES.indexOf(from);
  const end = API_VERSION_NAMES.indexOf(to);
  if (end < start) {
    throw new RequestValidationError(undefined, {
      issues: [{ path: path.to, message: `is ${to}, older than ${from}: an archive is upgraded, never downgraded` }],
    });
  }
  return UPGRADE_STEPS.slice(start, end);
}
