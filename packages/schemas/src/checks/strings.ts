/**
 * The string helpers of the generated checkers (length in code points, URL
 * formats), each the plain-code twin of a piece of zod 4.6's parse: only the
 * strict readings (request bodies) use them, so they live apart from
 * runtime.ts, which every checker loads (a bundler splits by file).
 * @module
 */

const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

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
