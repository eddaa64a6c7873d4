/**
 * The few helpers every generated checker shares, each the plain-code twin of
 * a piece of zod 4.6's parse (named beside it), so a checker answers what zod
 * answers without loading zod. scripts/gen-checks.ts emits calls to these;
 * test/checks-differential.test.ts holds them to zod. The string helpers only
 * request checks use are in strings.ts: a bundler splits by file, so apart
 * they stay out of the chunk every app loads on its first answer.
 * @module
 */

const isEnumerable = Object.prototype.propertyIsEnumerable;

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
