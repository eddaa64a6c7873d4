/**
 * The few helpers the generated checkers share, each the plain-code twin of
 * a piece of zod 4.6's parse (named beside it), so a checker answers what zod
 * answers without loading zod. scripts/gen-checks.ts emits calls to these;
 * test/checks-differential.test.ts holds them to zod.
 * @module
 */

const isEnumerable = Object.prototype.propertyIsEnumerable;
const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

/** zod's `util.isObject`: what an object or a discriminated union accepts (any non-null, non-array object). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * zod's `util.isPlainObject` (what a record accepts), and no enumerable
 * symbol key, which a record's string or enum key schema would refuse.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const ctor = (value as { constructor?: unknown }).constructor;
  if (typeof ctor === "function") {
    const proto: unknown = ctor.prototype;
    if (typeof proto !== "object" || proto === null || Array.isArray(proto)) return false;
    if (!Object.hasOwn(proto, "isPrototypeOf")) return false;
  }
  for (const symbol of Object.getOwnPropertySymbols(value)) if (isEnumerable.call(value, symbol)) return false;
  return true;
}

/** zod's `util.codePointLength`: a string's length in code points (a lone surrogate counts one), as its length checks measure. */
export function codePoints(text: string): number {
  const units = text.length;
  if (!HIGH_SURROGATE.test(text)) return units;
  let count = units;
  for (let i = 0; i < units - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

/** zod's `canParseURL` on the trimmed value: `z.url()` with no protocol, hostname or normalize option. */
export function urlParses(value: string): boolean {
  const trimmed = value.trim();
  try {
    if (typeof URL.canParse === "function") return URL.canParse(trimmed);
    new URL(trimmed);
    return true;
  } catch {
    return false;
  }
}

/**
 * zod's `$ZodURL` check with options: `parseURLObject` on the trimmed value
 * (with its `://` guard when the protocol pattern is zod's own http one and
 * normalize is off), then the hostname and protocol patterns.
 */
export function urlMatches(
  value: string,
  hostname: RegExp | undefined,
  protocol: RegExp | undefined,
  httpGuard: boolean,
): boolean {
  const trimmed = value.trim();
  if (httpGuard && !/^https?:\/\//i.test(trimmed)) return false;
  let url: URL | null;
  try {
    url = typeof URL.parse === "function" ? URL.parse(trimmed) : new URL(trimmed);
  } catch {
    return false;
  }
  if (url === null) return false;
  if (hostname !== undefined) {
    hostname.lastIndex = 0;
    if (!hostname.test(url.hostname)) return false;
  }
  if (protocol !== undefined) {
    protocol.lastIndex = 0;
    const scheme = url.protocol.endsWith(":") ? url.protocol.slice(0, -1) : url.protocol;
    if (!protocol.test(scheme)) return false;
  }
  return true;
}
