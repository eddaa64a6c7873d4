/**
 * JSON objects as data: their own members, whatever their names. JSON.parse keeps `__proto__` as a member like any
 * other, where an assignment or a read through the prototype chain would take it for the prototype, and the member
 * would vanish from hashes, comparisons and patches.
 * @module
 */

/** True for a JSON object (not an array, not null). */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Sets `key` on `target` (a plain object) as an own member, `__proto__` included. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // An assignment is that on a plain object for every other name, and much cheaper than defineProperty.
  if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** The own member `key` of `object`, or undefined: `object.__proto__` without one is the prototype, no field. */
export const ownField = (object: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(object, key) ? object[key] : undefined;
