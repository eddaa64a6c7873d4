/**
 * Filling the fields a newer API version adds: the one operation every
 * upgrade step is made of.
 * @module
 */

/**
 * The fields one step adds to one kind, each with a maker of its default.
 * A maker rather than a value, so that no two records share one array or
 * object: a caller who later edits one record's `tool_ids` edits no other.
 */
export type FieldDefaults = Readonly<Record<string, () => unknown>>;

/**
 * `record` with every field of `defaults` that it lacks set to a fresh
 * default. A field already there is kept as it is, whatever its value (a
 * `null` too); only a missing or `undefined` one (no JSON value) is filled.
 * Fields the SDK does not know are carried over verbatim.
 *
 * Pure: `record` is never mutated. When nothing is missing, `record` itself
 * comes back, so a stream of already-current records allocates nothing.
 */
export function fillDefaults(record: Record<string, unknown>, defaults: FieldDefaults): Record<string, unknown> {
  let filled: Record<string, unknown> | undefined;
  for (const [field, makeDefault] of Object.entries(defaults)) {
    if (Object.hasOwn(record, field) && record[field] !== undefined) continue;
    // Spread, not Object.assign into a fresh object: spread defines own
    // properties, so a `__proto__` key from JSON.parse stays a plain field.
    filled ??= { ...record };
    filled[field] = makeDefault();
  }
  return filled ?? record;
}
