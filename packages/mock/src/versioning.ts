/**
 * Version selection and the lifecycle of docs/protocol.md section 1: which
 * version a request names (path or X-API-Version header), whether that
 * version is current, deprecated or gone, and the headers that say so.
 * @module
 */
import {
  API_VERSIONS,
  API_VERSION_NAMES,
  CURRENT_API_VERSION,
  isApiVersion,
  type ApiVersion,
} from "@resonantgenesis/schemas";
import { ApiError } from "./errors.js";

/** A lifecycle state a test can force on a version; "auto" derives it from the table and the mock clock. */
export type VersionState = "current" | "deprecated" | "gone" | "auto";

/** The outcome of reading the version off a request. */
export interface VersionChoice {
  /** The version that serves the request (also the error form), even when `error` is set. */
  version: ApiVersion;
  /** The path below the version prefix, e.g. `/agents/123`. */
  path: string;
  /** A 400 to answer instead (version_conflict or unsupported_version). */
  error?: ApiError;
}

/** Accepts `1.2` and `v1.2` in the header, as clients write both. */
function normalise(value: string): string {
  return value.trim().replace(/^v/i, "");
}

/** `/api`, an optional `/v<version>` (group 1), and the path below it (group 2). */
const VERSIONED_PATH = /^\/api(?:\/v(\d+(?:\.\d+)*))?(\/.*)?$/;

/**
 * The path below the version prefix (`/api/v1.2/agents/1` -> `/agents/1`),
 * as routes and fault patterns see it; a path outside `/api` stays whole.
 */
export function pathBelowVersion(pathname: string): string {
  const match = VERSIONED_PATH.exec(pathname);
  return match ? (match[2] ?? "/") : pathname;
}

/**
 * Reads the version off `pathname` (which starts at `/api`) and the
 * X-API-Version header. `/api/v1/...` and `/api/...` carry no version of their
 * own; `/api/v1.9/...` or `/api/v2/...` name an unknown one. An unknown
 * version wins over a conflict, since it is the more precise complaint; the
 * error is served in the first known version named (path first), else the
 * current one. Returns null when the path is not under `/api`.
 */
export function chooseVersion(pathname: string, header: string | null): VersionChoice | null {
  const match = VERSIONED_PATH.exec(pathname);
  if (!match) return null;
  const rest = match[2] ?? "/";
  let fromPath: string | undefined = match[1];
  // "/api/v1" is the un-versioned major prefix, not a version.
  if (fromPath === "1") fromPath = undefined;
  const fromHeader = header === null || header.trim() === "" ? undefined : normalise(header);
  const named = [fromPath, fromHeader].filter((v): v is string => v !== undefined);
  const known = named.filter(isApiVersion);
  const version: ApiVersion = known[0] ?? CURRENT_API_VERSION;
  const unknown = named.find((v) => !isApiVersion(v));
  if (unknown !== undefined) {
    return {
      version,
      path: rest,
      error: new ApiError({
        status: 400,
        code: "unsupported_version",
        message: `Unsupported API version ${unknown}; supported: ${API_VERSION_NAMES.join(", ")}`,
        details: { supported_versions: [...API_VERSION_NAMES] },
      }),
    };
  }
  if (fromPath !== undefined && fromHeader !== undefined && fromPath !== fromHeader) {
    return {
      version,
      path: rest,
      error: new ApiError({
        status: 400,
        code: "version_conflict",
        message: `The path names version ${fromPath} but X-API-Version names ${fromHeader}`,
        details: { path_version: fromPath, header_version: fromHeader },
      }),
    };
  }
  return { version, path: rest };
}

/** Where to upgrade: the row's target, else the current version (a forced state on the current version still names one). */
function upgradeTarget(version: ApiVersion): string {
  return API_VERSIONS[version].upgradeTo ?? `v${CURRENT_API_VERSION}`;
}

const dayMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** The state of `version` at `now` according to the lifecycle table alone. */
export function autoState(version: ApiVersion, now: Date): Exclude<VersionState, "auto"> {
  const row = API_VERSIONS[version];
  const t = now.getTime();
  if (row.sunset && t >= dayMs(row.sunset)) return "gone";
  if (row.deprecatedSince && t >= dayMs(row.deprecatedSince)) return "deprecated";
  return "current";
}

/** Holds each version's chosen state and resolves "auto" against a clock. */
export class Lifecycle {
  private states: Record<ApiVersion, VersionState>;

  constructor(
    private readonly initial: Partial<Record<ApiVersion, VersionState>> = {},
    private readonly now: () => Date,
  ) {
    this.states = this.fresh();
  }

  private fresh(): Record<ApiVersion, VersionState> {
    return {
      ...(Object.fromEntries(API_VERSION_NAMES.map((v) => [v, "auto"])) as Record<ApiVersion, VersionState>),
      ...this.initial,
    };
  }

  /** Forces a state on a version ("auto" gives the table back). */
  set(version: ApiVersion, state: VersionState): void {
    if (!isApiVersion(version)) throw new TypeError(`unknown API version ${String(version)}`);
    this.states[version] = state;
  }

  /** Back to the states given at construction. */
  reset(): void {
    this.states = this.fresh();
  }

  /** The effective state of `version` now. */
  state(version: ApiVersion): Exclude<VersionState, "auto"> {
    const chosen = this.states[version];
    return chosen === "auto" ? autoState(version, this.now()) : chosen;
  }

  /**
   * The deprecation headers of a deprecated version: the X-API-* dates of its
   * row and the standard Deprecation (RFC 9745) and Sunset (RFC 8594) headers.
   * A version forced deprecated without dates in the table (1.2) is
   * deprecated "from now" and carries no sunset.
   */
  deprecationHeaders(version: ApiVersion): Record<string, string> {
    const row = API_VERSIONS[version];
    const headers: Record<string, string> = {};
    const since = row.deprecatedSince ?? this.now().toISOString().slice(0, 10);
    headers["X-API-Deprecation-Date"] = since;
    headers["Deprecation"] = `@${Math.floor(dayMs(since) / 1000)}`;
    if (row.sunset) {
      headers["X-API-Sunset-Date"] = row.sunset;
      headers["Sunset"] = new Date(dayMs(row.sunset)).toUTCString();
    }
    headers["X-API-Upgrade-To"] = upgradeTarget(version);
    return headers;
  }

  /** The 410 a gone version answers with, carrying X-API-Upgrade-To and the sunset. */
  goneError(version: ApiVersion): ApiError {
    const row = API_VERSIONS[version];
    const headers: Record<string, string> = { "X-API-Upgrade-To": upgradeTarget(version) };
    if (row.sunset) {
      headers["X-API-Sunset-Date"] = row.sunset;
      headers["Sunset"] = new Date(dayMs(row.sunset)).toUTCString();
    }
    return new ApiError({
      status: 410,
      code: "api_version_gone",
      message: `API version ${version} is no longer served${row.sunset ? ` (sunset ${row.sunset})` : ""}; upgrade to ${upgradeTarget(version)}`,
      details: { api_version: version, upgrade_to: upgradeTarget(version), sunset: row.sunset },
      headers,
    });
  }
}
