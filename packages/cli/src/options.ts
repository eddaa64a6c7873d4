/**
 * Every option that more than one command takes, declared once. Each value is
 * checked where commander parses it (`choices` or `argParser`), so a bad one
 * ends the run with exit 1 and a message naming the flag and what it allows,
 * before any file is opened or any request sent.
 * @module
 */
import { API_VERSION_NAMES, CURRENT_API_VERSION, VERSION_AT_END } from "@resonantgenesis/schemas/meta";
import { InvalidArgumentError, Option } from "commander";
import { registerSecret } from "./ui/redact.js";
import { BATCH_SIZE } from "./core/importer.js";

/** What `--on-conflict` allows: what an import does with an id the target already has. */
export const ON_CONFLICT = ["skip", "overwrite", "fail"] as const;
/** One `--on-conflict` mode. */
export type OnConflict = (typeof ON_CONFLICT)[number];

/** `migrate`'s writes in flight at once unless `--concurrency` says (the other commands: batches, default 1). */
export const MIGRATE_CONCURRENCY = 8;

// Plain decimal digits only: Number() also reads " 5", "0x10", "0b11" and "1e3", which a typo can produce.
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A parser for a number above zero, written in decimal (`--rate`, `--timeout`). */
function positiveNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = DECIMAL.test(value) ? Number(value) : Number.NaN;
    if (!Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(
        `${flag} must be a positive number in decimal (2, 0.5); got ${JSON.stringify(value)}`,
      );
    return n;
  };
}

/**
 * The lowest `--rate`: one request each 1,000 seconds. Slower is surely a typo, and past 2^31-1 ms between
 * requests Node's timer fires at once, so a rate far below it would not pace at all.
 */
export const MIN_RATE = 0.001;

/** The parser of `--rate`: requests a second, a decimal number of at least {@link MIN_RATE}. */
export function requestRate(value: string): number {
  const n = positiveNumber("--rate")(value);
  if (n < MIN_RATE)
    throw new InvalidArgumentError(
      `--rate must be at least ${MIN_RATE} (one request each ${1 / MIN_RATE} seconds); got ${JSON.stringify(value)}`,
    );
  return n;
}

/** The longest `--timeout`, in seconds: the SDK's timers take at most 2^31-1 ms (24.8 days); past it one fires at once. */
export const MAX_TIMEOUT_SECONDS = (2 ** 31 - 1) / 1000;

/** The parser of `--timeout`: a positive number of seconds, at most {@link MAX_TIMEOUT_SECONDS}. */
export function timeoutSeconds(value: string): number {
  const n = positiveNumber("--timeout")(value);
  if (n * 1000 > 2 ** 31 - 1)
    throw new InvalidArgumentError(`--timeout must be at most ${MAX_TIMEOUT_SECONDS} seconds (about 24.8 days)`);
  return n;
}

/** A parser for a whole number of at least `min` (and at most `max` when given). */
export function wholeNumber(flag: string, min: number, max?: number): (value: string) => number {
  const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
  return (value) => {
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < min || (max !== undefined && n > max))
      throw new InvalidArgumentError(
        `${flag} must be a whole number ${range} in decimal; got ${JSON.stringify(value)}`,
      );
    return n;
  };
}

/** A parser for an API base URL (`--base-url`, `--to-base-url`): absolute, http or https. */
export function baseUrl(flag: string): (value: string) => string {
  return (value) => {
    if (!/^https?:$/.test(URL.parse(value)?.protocol ?? ""))
      throw new InvalidArgumentError(
        `${flag} must be an absolute http(s) URL, such as https://resonantgenesis.xyz/api`,
      );
    const url = new URL(value);
    // Refused here, before an archive is read, as the SDK would refuse it; not shown: a query may hold a credential.
    if (url.search || url.hash) {
      // Commander quotes the value in its refusal: registered whole, it prints as ***, however short its query. Its
      // query and fragment alone were registered before: one under 4 characters showed, and a longer one was
      // hidden inside this message's own words too ("a ***ment").
      registerSecret(value);
      const shown = `${url.origin}${url.pathname}${url.search ? "?***" : ""}${url.hash ? "#***" : ""}`;
      throw new InvalidArgumentError(
        `${flag} ${shown} has a query or a fragment, which a base URL cannot have (resonant appends the API's paths to it); not shown, as it may hold a credential`,
      );
    }
    // A URL copied from a request (`.../api/v1.2`) would get the version twice: every call a 404.
    const version = VERSION_AT_END.exec(url.pathname)?.[0];
    if (version) {
      url.pathname = url.pathname.slice(0, -version.length);
      url.username = "";
      url.password = "";
      throw new InvalidArgumentError(
        `${flag} ends with an API version (${version.replace(/\/+$/, "")}), which resonant adds itself (--api-version): use ${url.href.replace(/\/$/, "")}`,
      );
    }
    return value;
  };
}

/** An API version option (`--api-version`, `--to-api-version`, `--to`): one of the versions this CLI speaks. */
export function apiVersionOption(flags: string, description: string): Option {
  return new Option(flags, description).choices(API_VERSION_NAMES);
}

/** The global `--api-version`. */
export const globalApiVersionOption = (): Option =>
  apiVersionOption("--api-version <version>", `API version to speak (default ${CURRENT_API_VERSION})`);

/** `--to-api-version` of copy: the target's version. */
export const toApiVersionOption = (): Option =>
  apiVersionOption("--to-api-version <version>", `the target's API version (default ${CURRENT_API_VERSION})`);

/** `--dry-run` of import, copy and restore: the plan, read from the target, and nothing written. */
export const dryRunOption = (): Option =>
  new Option("--dry-run", "print what would change, per kind; change nothing (exit 3 if anything would)");

/** `--on-conflict` of import and copy (default skip). */
export const onConflictOption = (): Option =>
  new Option("--on-conflict <mode>", "what to do with an id that exists").choices(ON_CONFLICT).default("skip");

/** `--batch-size` of import and copy: at most what one import call takes. */
export const batchSizeOption = (): Option =>
  new Option("--batch-size <n>", `items per import call (at most ${BATCH_SIZE})`).argParser(
    wholeNumber("--batch-size", 1, BATCH_SIZE),
  );

/** `--failures` of the commands that write: where each refused item goes. */
export const failuresOption = (): Option => new Option("--failures <file>", "write each refused item to FILE (NDJSON)");

/** `--secrets-out` of the commands that create webhooks and triggers. */
export const secretsOutOption = (): Option =>
  new Option(
    "--secrets-out <file>",
    "write the new secret of each webhook and trigger created (NDJSON, mode 0600; never printed)",
  );

/** `--format` of the commands that write an archive. */
export const formatOption = (description: string): Option =>
  new Option("--format <format>", description).choices(["json", "ndjson"]);

/** The options of every command that sends an archive's records: `--failures` and `--secrets-out`. */
export function writeOptions(): Option[] {
  return [failuresOption(), secretsOutOption()];
}

/** The options of every command that imports in batches: `--on-conflict` and `--batch-size`. */
export function batchOptions(): Option[] {
  return [onConflictOption(), batchSizeOption()];
}

/** The options, as commander hands them over, of the commands that import in batches. */
export interface BatchFlags {
  /** skip (default), overwrite or fail; checked by commander. */
  onConflict: OnConflict;
  /** Items per batch, checked by commander (1 to 1,000). */
  batchSize?: number;
}

/**
 * `verify --ignore updated_at,version`: top-level fields left out of the comparison. A rollback by PATCH
 * (`migrate down`) puts every field back but those the server sets on each write, which it cannot.
 */
export const ignoreOption = (): Option =>
  new Option("--ignore <fields>", "top-level fields to leave out of the comparison, comma-separated").argParser(
    (value: string) => {
      const fields = value.split(",").map((f) => f.trim());
      if (fields.some((f) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(f)))
        throw new InvalidArgumentError(`must be field names separated by commas (updated_at,version); got "${value}"`);
      return new Set(fields);
    },
  );
