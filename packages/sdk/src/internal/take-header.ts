/**
 * Taking one header out of a call's headers, for the calls that set it themselves per request: a session
 * stream's `Last-Event-ID` on each resume, an import's `Idempotency-Key` per batch. Left among the call's
 * headers, which win over the SDK's own, it would be sent unchanged on every request.
 * @module
 */

/**
 * The value of header `name` (lower case) in `headers`, matched in any case, and the other headers.
 * @param headers - A call's `headers` option.
 * @param name - The header's name, lower case.
 */
export function takeHeader(
  headers: Record<string, string> | undefined,
  name: string,
): [string | undefined, Record<string, string>] {
  const rest = { ...headers };
  let value: string | undefined;
  for (const key of Object.keys(rest))
    if (key.toLowerCase() === name) {
      value = rest[key];
      delete rest[key];
    }
  return [value, rest];
}
