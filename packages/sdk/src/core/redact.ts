/**
 * Scrubbing of credentials from any text the SDK shows to people: error
 * messages, log lines, bodies kept on errors. The patterns match the shapes
 * PROTOCOL.md gives credentials, so a key that a server or proxy echoes back
 * is hidden even though the SDK never saw it as "the" key.
 *
 * @packageDocumentation
 */

/** What a redacted value is replaced with (after the kept prefix). */
export const REDACTED = "***";

// The prefix (`rg_live_sk_`, `whsec_`, `Bearer `) is kept so a reader can still
// tell which kind of credential was there, which matters when debugging auth.
const API_KEY_PATTERN = /(rg_(?:live|test)_sk_)[A-Za-z0-9_]+/g;
const WEBHOOK_SECRET_PATTERN = /(whsec_)[A-Za-z0-9_]+/g;
// Covers API keys, JWTs (dots, dashes) and opaque tokens; `***` is excluded so
// redacting twice is a no-op.
const BEARER_PATTERN = /(Bearer\s+)(?!\*\*\*)[A-Za-z0-9\-._~+/]+=*/gi;

/**
 * Replace anything that looks like a credential in `text` with a redacted form:
 * `rg_live_sk_…` → `rg_live_sk_***`, `whsec_…` → `whsec_***`,
 * `Bearer <token>` → `Bearer ***`.
 *
 * @param text - Any text, possibly built from a server's answer.
 * @param secrets - Extra literal values to hide as well (for example a JWT
 *   access token the client was given, which has no recognisable prefix).
 *   Values shorter than 4 characters are ignored, since hiding them would mangle
 *   ordinary words.
 * @returns The text with every match replaced.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  // Bearer first: its token pattern would otherwise eat the prefix left by
  // the key pattern and print the mask twice.
  let out = text
    .replace(BEARER_PATTERN, `$1${REDACTED}`)
    .replace(API_KEY_PATTERN, `$1${REDACTED}`)
    .replace(WEBHOOK_SECRET_PATTERN, `$1${REDACTED}`);
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
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
