/**
 * The options a caller may set wrong, in one table, checked where they are given: a client's when it is
 * made, a call's (`timeout`, `maxRetries`, `streamIdleTimeout`) before anything is sent.
 * @module
 */
import { API_VERSION_NAMES, isApiVersion, type ApiVersion } from "@resonantgenesis/schemas/meta";
import { RequestValidationError, type ValidationIssue } from "../core/errors.js";
import type { ClientOptions, RequestOptions } from "../core/options.js";
import { isLogLevel, LOG_LEVELS, type LogSink } from "./log.js";

// Absolute, and without the version the client adds (`.../api/v1.2`, as an openai-style base URL has it).
// The rule is VERSION_AT_END of @resonantgenesis/schemas/meta, written out: importing it costs 16 bytes of
// the one-call bundle's budget (test/unit/client.test.ts holds the two to the same answers).
// An http(s) URL with no query or fragment: the client appends paths, which a query or fragment would swallow.
// Credentials are left to the transport (a fetch given as an option may send them; the platform's refuse them).
const isBaseURL = (value: string): unknown => {
  try {
    return new URL(value) && /^https?:\/\/[^?#]+$/i.test(value) && !/\/v\d+\.\d+\/*$/.test(value);
  } catch {}
};

const isFunction = (value: unknown) => typeof value === "function";

// At most 2^31-1 ms (24.8 days), the longest wait a timer takes: past it, the timer fires at once.
const isTimerMs = (value: number) => value > 0 && value <= 2 ** 31 - 1;

/**
 * A header value that cannot go as it is: empty, whitespace at an end (trimmed on the way, so the server
 * would see another value), a control character, or one beyond Latin-1 (a connection error, retried in vain).
 */
export const BAD_HEADER_VALUE = /^(\s|$)|\s$|[^ -~\xa0-\xff]/;

// Each option a caller may set wrong: when it is set, what it must be. A plain value it got is quoted back.
const RULES: [keyof (ClientOptions & RequestOptions), (value: never) => unknown, string][] = [
  ["apiVersion", isApiVersion, `must be one of ${API_VERSION_NAMES.join(", ")}`],
  ["versioning", (value) => value === "path" || value === "header", `must be "path" or "header"`],
  ["timeout", isTimerMs, "must be a positive number of ms up to 2^31-1"],
  [
    "streamIdleTimeout",
    // 0 is refused rather than read as "off", so no stream waits forever by accident.
    (value: number | false) => value === false || isTimerMs(value),
    "must be a positive number of ms up to 2^31-1, or false to never time out an idle stream",
  ],
  ["maxRetries", (value: number) => Number.isSafeInteger(value) && value >= 0, "must be a whole number, 0 or more"],
  ["logLevel", isLogLevel, `must be one of ${LOG_LEVELS.map((level) => `"${level}"`).join(", ")}`],
  [
    "logger",
    (value: LogSink) => LOG_LEVELS.every((level, i) => !i || typeof value?.[level as keyof LogSink] === "function"),
    "must have error, warn, info and debug methods",
  ],
  [
    "validateResponses",
    (value) => typeof value === "boolean" || value === "compatible" || value === "strict",
    `must be "compatible", "strict", true or false`,
  ],
  ["baseURL", isBaseURL, "(or RESONANT_BASE_URL) must be an http(s) URL without the version or a query"],
  // Else the first call fails with a connection error that blames the network.
  ["fetch", isFunction, "must be a function"],
  // Else every deprecation notice is lost: calling it throws, and a notice never fails the call it came with.
  ["onDeprecation", isFunction, "must be a function"],
  // docs/protocol.md section 2: `Idempotency-Key: <up to 255 chars>`.
  [
    "idempotencyKey",
    (value: string) => typeof value === "string" && value.length < 256 && !BAD_HEADER_VALUE.test(value),
    "must be 1 to 255 header-safe characters",
  ],
];

/**
 * Throws a RequestValidationError naming every option of `options` set wrong, each path after `prefix`;
 * `what` says whose they are ("client", "request").
 */
export function checkOptions(options: ClientOptions<ApiVersion> | RequestOptions, what: string, prefix = ""): void {
  const issues: ValidationIssue[] = [];
  for (const [path, valid, message] of RULES) {
    const value: unknown = (options as Record<string, unknown>)[path];
    if (value !== undefined && !valid(value as never))
      issues.push({
        path: prefix + path,
        // A number as written (JSON would say Infinity and NaN are null); a string quoted, less what follows a
        // `?` or `#`: a base URL's query may carry a token (`?token=`), which no message shows.
        message:
          Object(value) === value
            ? message
            : `${message}; got ${typeof value === "string" ? JSON.stringify(value.replace(/[?#].*/s, "?…")) : String(value)}`,
      });
  }
  if (issues.length > 0)
    throw new RequestValidationError(
      `Invalid ${what} options: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`,
      { issues },
    );
}
