/**
 * Short English messages for validation issues. `zod/mini` loads no locale,
 * so its own messages are a bare "Invalid input"; {@link issueMessage} says
 * what was wrong from the issue's fields instead. The SDK and the mock both
 * use it, so a user reads the same words from either.
 * @module
 */

/**
 * The fields of a zod issue that {@link issueMessage} reads. Both a finished
 * issue (`error.issues[i]`) and, inside an error map, a raw one fit; a raw
 * one also carries `input` and `inst`, which make the message more precise
 * ("is required", "got string", "must be an https URL").
 */
export interface IssueLike {
  /** The issue code: `invalid_type`, `too_small`, `unrecognized_keys`... */
  readonly code?: string | undefined;
  /** The message zod gave (a schema's own message for a refinement). */
  readonly message?: string | undefined;
  /** `invalid_type`: the expected type (`string`, `int`, `object`...). */
  readonly expected?: unknown;
  /** The value that failed (raw issues, or with `reportInput`). */
  readonly input?: unknown;
  /** `too_small`: the bound. */
  readonly minimum?: unknown;
  /** `too_big`: the bound. */
  readonly maximum?: unknown;
  /** `too_small`/`too_big`: whether the bound itself is allowed. */
  readonly inclusive?: unknown;
  /** `too_small`/`too_big`: whether the size must be exactly the bound. */
  readonly exact?: unknown;
  /** `too_small`/`too_big`: what was measured (`string`, `array`, `number`...). */
  readonly origin?: unknown;
  /** `invalid_format`: the format (`guid`, `datetime`, `url`, `regex`, `starts_with`...). */
  readonly format?: unknown;
  /** `invalid_format`: the pattern that did not match. */
  readonly pattern?: unknown;
  /** `invalid_format` `starts_with`: the prefix. */
  readonly prefix?: unknown;
  /** `invalid_format` `ends_with`: the suffix. */
  readonly suffix?: unknown;
  /** `invalid_format` `includes`: the substring. */
  readonly includes?: unknown;
  /** `invalid_format`: zod's note (`Invalid protocol`...). */
  readonly note?: unknown;
  /** `unrecognized_keys`: the unknown keys. */
  readonly keys?: unknown;
  /** `invalid_value`: the allowed values. */
  readonly values?: unknown;
  /** `not_multiple_of`: the divisor. */
  readonly divisor?: unknown;
  /** `invalid_union` of a discriminated union: the known discriminator values. */
  readonly options?: unknown;
  /** `invalid_union`: each option's issues. */
  readonly errors?: unknown;
  /** `invalid_key`/`invalid_element`: the nested issues. */
  readonly issues?: unknown;
  /** A raw issue's schema or check (its definition names a URL's allowed protocol). */
  readonly inst?: unknown;
}

/** zod's message when no locale or error map gave one. */
const GENERIC = "Invalid input";

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  bigint: "a bigint",
  boolean: "a boolean",
  object: "an object",
  record: "an object",
  array: "an array",
  tuple: "an array",
  date: "a date",
  map: "a map",
  set: "a set",
  symbol: "a symbol",
  function: "a function",
  null: "null",
  undefined: "undefined",
  nan: "NaN",
  never: "absent",
};

const FORMAT_NAMES: Record<string, string> = {
  guid: "a valid UUID",
  uuid: "a valid UUID",
  uuidv4: "a valid UUID",
  uuidv6: "a valid UUID",
  uuidv7: "a valid UUID",
  datetime: "an ISO-8601 date-time",
  date: "an ISO-8601 date (YYYY-MM-DD)",
  time: "an ISO-8601 time",
  duration: "an ISO-8601 duration",
  email: "a valid email address",
  ipv4: "a valid IPv4 address",
  ipv6: "a valid IPv6 address",
  cidrv4: "a valid IPv4 range",
  cidrv6: "a valid IPv6 range",
  base64: "base64",
  base64url: "base64url",
  jwt: "a JWT",
  e164: "an E.164 phone number",
  lowercase: "lowercase",
  uppercase: "uppercase",
};

const typeName = (expected: unknown): string => TYPE_NAMES[String(expected)] ?? `a ${String(expected)}`;

/** What a value is, as a message names it: `string`, `number`, `null`, `array`... */
function kindOf(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "array";
  if (typeof input === "number" && Number.isNaN(input)) return "NaN";
  return typeof input;
}

const show = (value: unknown): string =>
  typeof value === "bigint" ? `${value}n` : (JSON.stringify(value) ?? String(value));
const plain = (value: unknown): string => (typeof value === "string" ? value : show(value));
const plural = (n: unknown, word: string): string => `${String(n)} ${word}${Number(n) === 1 ? "" : "s"}`;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function sizeMessage(issue: IssueLike, small: boolean): string {
  const bound = small ? issue.minimum : issue.maximum;
  const inclusive = issue.inclusive !== false;
  const exactly = issue.exact === true;
  const atLeast = small ? "at least" : "at most";
  const strictly = small ? "more than" : "fewer than";
  switch (issue.origin) {
    case "string":
      return `must be ${exactly ? "exactly" : inclusive ? atLeast : strictly} ${plural(bound, "character")}`;
    case "array":
    case "set":
    case "map":
      return `must have ${exactly ? "exactly" : inclusive ? atLeast : strictly} ${plural(bound, "item")}`;
    case "file":
      return `must be ${exactly ? "exactly" : inclusive ? atLeast : strictly} ${plural(bound, "byte")}`;
    case "date":
      return `must be ${small ? (inclusive ? "on or after" : "after") : inclusive ? "on or before" : "before"} ${new Date(Number(bound)).toISOString()}`;
    default:
      return `must be ${exactly ? "exactly" : inclusive ? atLeast : small ? "greater than" : "less than"} ${show(bound)}`;
  }
}

/** The protocols a URL must use, from the raw issue's schema or from the pattern zod reports. */
function urlProtocols(issue: IssueLike): string[] {
  const def = (issue.inst as { _zod?: { def?: { protocol?: unknown } } } | undefined)?._zod?.def;
  const source =
    def?.protocol instanceof RegExp
      ? def.protocol.source
      : issue.note === "Invalid protocol"
        ? issue.pattern
        : undefined;
  if (typeof source !== "string") return [];
  const names = source.replace(/^\^\(?|\)?\$$/g, "").split("|");
  return names.every((name) => /^[a-z][a-z0-9+.-]*$/i.test(name)) ? names : [];
}

function formatMessage(issue: IssueLike): string {
  const format = String(issue.format);
  switch (format) {
    case "regex":
      return `must match the pattern ${String(issue.pattern)}`;
    case "starts_with":
      return `must start with ${show(issue.prefix)}`;
    case "ends_with":
      return `must end with ${show(issue.suffix)}`;
    case "includes":
      return `must include ${show(issue.includes)}`;
    case "url": {
      const protocols = urlProtocols(issue);
      if (protocols.length)
        return `must be ${/^[aeiouh]/i.test(protocols[0]!) ? "an" : "a"} ${protocols.join(" or ")} URL`;
      if (issue.note === "Invalid hostname") return "must be a URL with a valid host name";
      return "must be a valid URL";
    }
    default:
      return `must be ${FORMAT_NAMES[format] ?? `a valid ${format}`}`;
  }
}

/** A union's message: when every option wanted another type at this place, name them all. */
function unionMessage(issue: IssueLike): string {
  const options = list(issue.options);
  if (options.length) return `must be one of ${options.map(plain).join(", ")}`;
  const expected: string[] = [];
  for (const branch of list(issue.errors)) {
    const top = list(branch).find((i) => (i as IssueLike & { path?: unknown[] }).path?.length === 0) as
      | IssueLike
      | undefined;
    if (top?.code !== "invalid_type") return "does not match any of the allowed forms";
    const name = typeName(top.expected);
    if (!expected.includes(name)) expected.push(name);
  }
  if (!expected.length) return "does not match any of the allowed forms";
  const names = expected.length > 1 ? `${expected.slice(0, -1).join(", ")} or ${expected.at(-1)!}` : expected[0]!;
  return "input" in issue && issue.input !== undefined
    ? `must be ${names}, got ${kindOf(issue.input)}`
    : `must be ${names}`;
}

/**
 * A short English message for one validation issue, built from its fields:
 * "must be at least 1 character", "must be a number, got string", "must be
 * one of active, archived", "unknown field(s): colour", "must be a valid
 * UUID", "is required"... A message that a schema gave itself (a
 * refinement's, e.g. "must have at most 16 keys") is kept as it is.
 *
 * It fits zod's error-map shape, so `schema.safeParse(value, { error:
 * issueMessage })` gives every issue this message while a schema's own
 * message still wins. Given a finished issue, it keeps any message other
 * than zod's bare "Invalid input" and builds one from the fields otherwise
 * (without the input, which zod drops: "must be a string" rather than
 * "is required" or "got number").
 */
export function issueMessage(issue: IssueLike): string {
  // A raw issue that reaches an error map has no message yet; a finished one
  // has ours (parsed with this map), a schema's own, or zod's bare default.
  if (issue.message && issue.message !== GENERIC) return issue.message;
  switch (issue.code) {
    case "invalid_type": {
      const expected = typeName(issue.expected);
      // Only a raw issue (or one parsed with `reportInput`) carries the input.
      if (!("input" in issue)) return `must be ${expected}`;
      if (issue.input === undefined) return "is required";
      if (issue.expected === "int" && typeof issue.input === "number") return `must be an integer, got ${issue.input}`;
      return `must be ${expected}, got ${kindOf(issue.input)}`;
    }
    case "too_small":
      return sizeMessage(issue, true);
    case "too_big":
      return sizeMessage(issue, false);
    case "invalid_format":
      return formatMessage(issue);
    case "not_multiple_of":
      return `must be a multiple of ${show(issue.divisor)}`;
    case "unrecognized_keys":
      return `unknown field(s): ${list(issue.keys).map(plain).join(", ")}`;
    case "invalid_value": {
      const values = list(issue.values);
      return values.length === 1 ? `must be ${show(values[0])}` : `must be one of ${values.map(plain).join(", ")}`;
    }
    case "invalid_union":
      return unionMessage(issue);
    case "invalid_key": {
      const inner = list(issue.issues)[0] as IssueLike | undefined;
      return inner ? `has an invalid key (${issueMessage(inner)})` : "has an invalid key";
    }
    case "invalid_element":
      return "has an invalid element";
    default:
      return "is invalid";
  }
}

/**
 * The options every check parses with, in the SDK and in the mock alike:
 * `zod/mini` loads no locale, so each issue gets {@link issueMessage}'s short
 * English message ("must be at most 100 characters", "is required"...), while
 * a schema's own message stays. Declared here, once, so a user reads the same
 * words from the SDK's `RequestValidationError` and from the mock's 422.
 */
export const PARSE_OPTIONS: ParseOptions = { error: issueMessage };

/** The type of {@link PARSE_OPTIONS}: what `schema.safeParse(value, options)` takes. */
export interface ParseOptions {
  /** The error map that writes every issue's message: {@link issueMessage}. */
  readonly error: typeof issueMessage;
}
