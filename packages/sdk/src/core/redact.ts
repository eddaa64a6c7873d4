/**
 * Scrubbing of credentials from any text the SDK shows to people: error
 * messages, log lines, bodies kept on errors, and (through the SDK's export)
 * everything the `resonant` CLI prints or writes. The patterns match the
 * shapes docs/protocol.md gives credentials, so a key that a server or proxy
 * echoes back is hidden even though the SDK never saw it as "the" key.
 *
 * @packageDocumentation
 */

/** What a redacted value is replaced with (after the kept prefix). */
export const REDACTED = "***";

// The prefix (`rg_live_sk_`, `whsec_`, `Bearer `) is kept so a reader can still
// tell which kind of credential was there, which matters when debugging auth.
const API_KEY_PATTERN = /(rg_(?:live|test)_sk_)[A-Za-z0-9_]+/g;
const WEBHOOK_SECRET_PATTERN = /(whsec_)[A-Za-z0-9_]+/g;
// A URL's user and password (`https://user:password@host`), as a base URL or a proxy may carry them. They run
// to the last `@` before the host ends (WHATWG's reading), so a password holding an unencoded `@` is hidden
// whole; a quote ends them too, so a JSON line's next string is never taken for them. The scheme may be spelt
// as a URL parser forgives (`http:/`, `http:\`, `http:`) or mistyped (`http//`), as a message quoting a refused
// URL shows it; a path's `a:b@c` is none, and needs a slash after its colon to be taken for one.
const URL_USERINFO_PATTERN = /\b([a-z][a-z0-9+.-]*:[/\\]+|https?[:/\\]+)[^\s/?#\\"'`<>]*@/gi;
// Covers API keys, JWTs (dots, dashes) and opaque tokens; `***` is excluded so
// redacting twice is a no-op, and so is an auth-param (`Bearer realm="..."` of a
// WWW-Authenticate challenge), which is no token.
const BEARER_PATTERN = /(Bearer\s+)(?!\*\*\*|\w+=")[A-Za-z0-9\-._~+/]+=*/gi;

// Values registered by the program (a key from an option, a secret a server
// returned) are hidden wherever they appear, whatever their shape.
const registered = new Set<string>();
// The clients' own keys, of whatever shape: the latest 16, as a key function may give a new token per call.
const keys = new Set<string>();

/** Hide a client's key (a JWT, a custom token) as {@link registerSecret} does, the latest 16; answers the key. */
export function hideKey(key: string): string {
  keys.delete(key);
  keys.add(key);
  if (keys.size > 16) keys.delete(keys.values().next().value!);
  return key;
}

/**
 * Hide `value` from everything {@link redact} scrubs from now on, in this
 * process: the SDK's error messages and logs, and whatever a program built on
 * the SDK (the `resonant` CLI) passes through `redact` before printing. For
 * credentials without a recognisable prefix (a JWT, a webhook secret of
 * another shape), and its URL-encoded form; values shorter than 4 characters are ignored.
 *
 * @param value - The secret; undefined is ignored.
 * @example `registerSecret(process.env.RESONANT_API_KEY)`
 */
export function registerSecret(value: string | undefined): void {
  // As a URL would carry it too (a `Location` or a link echoing a token with `+`, `/` or `=`).
  if (value !== undefined && value.length >= 4)
    for (const form of [value, encodeURIComponent(value)]) registered.add(form);
}

// A literal secret keeps the kind prefix the patterns keep, so it reads the same either way.
const KIND_PREFIX = /^(rg_(?:live|test)_sk_|whsec_|Bearer\s+)/i;

/**
 * Replace anything that looks like a credential in `text` with a redacted form:
 * `rg_live_sk_…` → `rg_live_sk_***`, `whsec_…` → `whsec_***`,
 * `Bearer <token>` → `Bearer ***`, and any {@link registerSecret registered}
 * or given secret → `***` (after its kind prefix, if it has one).
 *
 * @param text - Any text, possibly built from a server's answer (undefined passes through).
 * @param secrets - Extra literal values to hide as well (for example a JWT
 *   access token the client was given, which has no recognisable prefix).
 *   Values shorter than 4 characters are ignored, since hiding them would mangle
 *   ordinary words.
 * @returns The text with every match replaced.
 */
export function redact(text: string, secrets?: readonly (string | undefined)[]): string;
/** As above; `undefined` passes through, for a field an answer may leave out. */
export function redact(text: string | undefined, secrets?: readonly (string | undefined)[]): string | undefined;
export function redact(text: string | undefined, secrets: readonly (string | undefined)[] = []): string | undefined {
  let out = text;
  // Literal secrets first: a pattern could otherwise mask a part of one and leave the rest.
  for (const secret of [...registered, ...keys, ...secrets]) {
    if (secret !== undefined && secret.length >= 4 && out?.includes(secret))
      out = out.split(secret).join(`${KIND_PREFIX.exec(secret)?.[1] ?? ""}${REDACTED}`);
  }
  // Bearer before the key pattern: its token pattern would otherwise eat the
  // prefix left by the key pattern and print the mask twice.
  return out
    ?.replace(BEARER_PATTERN, `$1${REDACTED}`)
    .replace(API_KEY_PATTERN, `$1${REDACTED}`)
    .replace(WEBHOOK_SECRET_PATTERN, `$1${REDACTED}`)
    .replace(URL_USERINFO_PATTERN, `$1${REDACTED}@`);
}

/**
 * Redact every string inside a JSON-like value (objects, arrays, strings),
 * returning a copy. Used on error bodies, which are kept on errors and so show
 * up in `util.inspect` and `toJSON()`.
 *
 * @param value - A value as produced by `JSON.parse`, or a string.
 * @returns A deep copy with every string passed through {@link redact}.
 */
export function redactDeep(value: unknown): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[redact(key)] = redactDeep(inner);
    return out;
  }
  return value;
}

/** Header names whose values are credentials and are never kept or shown. */
export const SENSITIVE_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
]);

/**
 * What `new Headers()` takes: a `Headers`, a record or pairs. Named from the
 * constructor rather than the DOM lib's `HeadersInit`, which a Node project
 * without the DOM lib does not have.
 */
export type HeaderSource = ConstructorParameters<typeof Headers>[0];

/**
 * Copy headers without credential-bearing ones, redacting what remains.
 * Errors keep the response headers for debugging; this makes that safe even
 * when a caller hands in request headers by mistake.
 *
 * @param headers - Anything `new Headers()` takes (a `Headers`, a record or pairs).
 * @returns A new `Headers` without `authorization` and friends.
 */
export function sanitizeHeaders(headers: HeaderSource | undefined): Headers {
  const source = new Headers(headers);
  const out = new Headers();
  source.forEach((value, name) => {
    if (!SENSITIVE_HEADERS.has(name.toLowerCase())) out.set(name, redact(value));
  });
  return out;
}
