/** The API versions that this SDK speaks, oldest first. */
export const API_VERSION_NAMES = ["1.0", "1.1", "1.2"] as const;

/** One API version: `"1.0" | "1.1" | "1.2"`. */
export type ApiVersion = (typeof API_VERSION_NAMES)[number];

/** `M` and every version after it, as a union: `VersionsFrom<"1.1">` is `"1.1" | "1.2"`. */
export type VersionsFrom<
  M extends ApiVersion,
  T extends readonly ApiVersion[] = typeof API_VERSION_NAMES,
> = T extends readonly [infer H, ...infer R extends readonly ApiVersion[]]
  ? H extends M
    ? T[number]
    : VersionsFrom<M, R>
  : never;

/** Where an API version stands in its lifecycle. */
export type ApiVersionStatus = "current" | "supported" | "deprecated";

/** One row of the server's lifecycle table. */
export interface ApiVersionInfo {
  /** Where the version stands today, as the server's table says. */
  readonly status: ApiVersionStatus;
  /** The date (UTC, `YYYY-MM-DD`) from which the version is deprecated, or null. */
  readonly deprecatedSince: string | null;
  /** The date (UTC, `YYYY-MM-DD`) after which the version is gone (answers 410), or null. */
  readonly sunset: string | null;
  /** The version to move to, as the server names it (`"v1.2"`), or null. */
  readonly upgradeTo: string | null;
}

/** The lifecycle table of docs/protocol.md section 1. */
export const API_VERSIONS: Readonly<Record<ApiVersion, ApiVersionInfo>> = Object.freeze({
  "1.0": { status: "deprecated", deprecatedSince: "2025-09-01", sunset: "2026-03-01", upgradeTo: "v1.2" },
  "1.1": { status: "supported", deprecatedSince: "2025-12-01", sunset: "2026-06-01", upgradeTo: "v1.2" },
  "1.2": { status: "current", deprecatedSince: null, sunset: null, upgradeTo: null },
});

/** The version a client uses when none is chosen. */
export const CURRENT_API_VERSION: ApiVersion = "1.2";

/** True when `value` names a version this SDK knows. */
export function isApiVersion(value: unknown): value is ApiVersion {
  return typeof value === "string" && (API_VERSION_NAMES as readonly string[]).includes(value);
}

/**
 * A version at the end of a URL's path (`/v1.2`, `/v1.2/`), which a base URL must not carry: clients add
 * it (`/api` + `/v1.2`), so `.../api/v1.2` would send every call to `/v1.2/v1.2`. Only major.minor: a
 * gateway's own `/v1` or `/v2` may be the API's root.
 */
export const VERSION_AT_END = /\/v\d+\.\d+\/*$/;

/** True when `version` is `minimum` or newer. */
export function versionAtLeast(version: ApiVersion, minimum: ApiVersion): boolean {
  return API_VERSION_NAMES.indexOf(version) >= API_VERSION_NAMES.indexOf(minimum);
}
