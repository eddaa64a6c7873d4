/**
 * Reading the API's lifecycle headers (docs/protocol.md section 1) into plain
 * objects, plus the once-per-version notification rule. The rate-limit
 * headers (section 2) are read in rate-limit.ts.
 *
 * @packageDocumentation
 */

type HeaderSource = Pick<Headers, "get">;

/** What a response says about its API version being on the way out. */
export interface DeprecationNotice {
  /** The version the response was served with (`X-API-Version`), else the client's. */
  apiVersion: string;
  /** Always true: a notice is only made for a deprecated version. */
  deprecated: true;
  /** When the version was deprecated, as an ISO date (`2025-09-01`). */
  deprecationDate?: string;
  /** When the version stops working, as an ISO date. */
  sunsetDate?: string;
  /** The version to move to, as the server names it (`v1.2`). */
  upgradeTo?: string;
}

/**
 * Turn a date header value into an ISO date (`YYYY-MM-DD`), accepting an ISO
 * date or timestamp, an HTTP-date, or RFC 9745's `@<unix seconds>`.
 *
 * @param value - The header value.
 * @returns The UTC calendar date, or undefined when the value is not a date.
 */
export function toIsoDate(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^@-?\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed.slice(1)) * 1000;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) ms = Date.parse(`${trimmed}T00:00:00Z`);
  // Anything else must look like a date, not a bare number or word, because
  // Date.parse happily reads "1" or "true" as something.
  else if (/\d{4}/.test(trimmed) && /[a-z:-]/i.test(trimmed)) ms = Date.parse(trimmed);
  else return undefined;
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Read a response's deprecation headers: the platform's `X-API-Deprecated`,
 * `X-API-Deprecation-Date`, `X-API-Sunset-Date`, `X-API-Upgrade-To`, and the
 * standard `Deprecation` (RFC 9745: `@<unix seconds>`; `true` and an HTTP-date
 * from older drafts are tolerated) and `Sunset` (RFC 8594, an HTTP-date).
 * The platform's own headers win where both give a date.
 *
 * @param headers - The response headers.
 * @param fallbackApiVersion - The client's pinned version, used when the
 *   response lacks `X-API-Version`.
 * @returns A notice, or undefined when the version is not deprecated.
 */
export function parseDeprecation(headers: HeaderSource, fallbackApiVersion = "unknown"): DeprecationNotice | undefined {
  const flag = headers.get("x-api-deprecated")?.trim().toLowerCase();
  const standard = headers.get("deprecation")?.trim();
  const deprecationDate = toIsoDate(headers.get("x-api-deprecation-date")) ?? toIsoDate(standard);
  const sunsetDate = toIsoDate(headers.get("x-api-sunset-date")) ?? toIsoDate(headers.get("sunset"));

  const deprecated =
    flag === "true" || standard?.toLowerCase() === "true" || deprecationDate !== undefined || sunsetDate !== undefined;
  // An explicit "false" from the platform overrides the inferred state, so a
  // proxy's stray Sunset header cannot cry wolf.
  if (!deprecated || flag === "false") return undefined;

  const notice: DeprecationNotice = {
    apiVersion: headers.get("x-api-version")?.trim() || fallbackApiVersion,
    deprecated: true,
  };
  if (deprecationDate !== undefined) notice.deprecationDate = deprecationDate;
  if (sunsetDate !== undefined) notice.sunsetDate = sunsetDate;
  const upgradeTo = headers.get("x-api-upgrade-to")?.trim();
  if (upgradeTo) notice.upgradeTo = upgradeTo;
  return notice;
}

/**
 * A one-line, human-readable form of a notice: the default console warning, and the `resonant` CLI's.
 * A server may go on answering a version past its sunset for a while; the text then says the date has
 * passed (the sunset takes effect at its start, UTC, as the `Sunset` header says) rather than that it is coming.
 *
 * @param notice - The notice.
 * @param now - Today, to tell a coming sunset from a past one.
 * @example `formatDeprecationNotice(notice)` is `ResonantGenesis API version 1.1 is deprecated since 2025-12-01 and stops working on 2026-06-01; upgrade to v1.2.` before that date.
 */
export function formatDeprecationNotice(notice: DeprecationNotice, now: Date = new Date()): string {
  let text = `ResonantGenesis API version ${notice.apiVersion} is deprecated`;
  if (notice.deprecationDate) text += ` since ${notice.deprecationDate}`;
  if (notice.sunsetDate) {
    const past = Date.parse(`${notice.sunsetDate}T00:00:00Z`) <= now.getTime();
    text += past
      ? ` and past its sunset (${notice.sunsetDate}): the server may refuse it (410) at any time`
      : ` and stops working on ${notice.sunsetDate}`;
  }
  text += notice.upgradeTo ? `; upgrade to ${notice.upgradeTo}.` : ".";
  return text;
}

/**
 * Calls a callback at most once per API version: docs/api-versions.md promises one
 * deprecation notice per client and version, so each client owns one tracker
 * (the tracker, not a module global, remembers what was reported).
 */
export class DeprecationTracker {
  readonly #notified = new Set<string>();
  readonly #callback: (notice: DeprecationNotice) => void;

  /** @param callback - Receives each version's first notice. */
  constructor(callback: (notice: DeprecationNotice) => void) {
    this.#callback = callback;
  }

  /**
   * Pass a notice on unless this tracker already reported its version.
   * A callback that throws is ignored: a user's logging hook must never turn
   * a successful API call into a failure.
   *
   * @param notice - A notice, or undefined (ignored, for convenience).
   * @returns Whether the callback was called.
   */
  report(notice: DeprecationNotice | undefined): boolean {
    if (notice === undefined || this.#notified.has(notice.apiVersion)) return false;
    this.#notified.add(notice.apiVersion);
    try {
      this.#callback(notice);
    } catch {
      // Deliberately ignored, see above.
    }
    return true;
  }

  /**
   * {@link parseDeprecation} then {@link DeprecationTracker.report}.
   *
   * @param headers - The response headers.
   * @param fallbackApiVersion - The client's pinned version.
   * @returns Whether the callback was called.
   */
  observe(headers: HeaderSource, fallbackApiVersion?: string): boolean {
    return this.report(parseDeprecation(headers, fallbackApiVersion));
  }

  /**
   * Whether a version was already reported.
   *
   * @param apiVersion - The version.
   */
  hasNotified(apiVersion: string): boolean {
    return this.#notified.has(apiVersion);
  }
}
