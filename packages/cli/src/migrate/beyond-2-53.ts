/**
 * Integers beyond 2^53 in what a migration writes. The engine reads objects as the SDK parses them (JSON.parse),
 * so such a number may already be rounded (9007199254740993 reads as 9007199254740992), and a write that sends
 * it stores the rounded value: docs/guarantees.md states the limit, and each run names where it meets it.
 * @module
 */

/** Each integer of `value` beyond 2^53 as `path = value` (`metadata.n = 9007199254740994`), in document order. */
export function integersBeyond253(value: unknown, path = ""): string[] {
  if (typeof value === "number")
    return Number.isInteger(value) && !Number.isSafeInteger(value) ? [`${path || "(root)"} = ${value}`] : [];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => integersBeyond253(v, path === "" ? k : `${path}.${k}`));
}
