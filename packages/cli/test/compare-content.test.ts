/**
 * The content comparison of verify, restore and the dry runs: a top-level
 * field that is null on one side and absent on the other is no difference,
 * a null inside a field is one, and the digest and the list of changed
 * fields never disagree (an object found changed always names a field).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { changedFields, contentDigestBytes } from "../src/core/canonical.js";
import { jsonArbitraries } from "./json-arbitraries.js";

const { key, value } = jsonArbitraries(["team_id", "description", "id", "metadata", "a", "é", '"q"', ""]);
const object = fc.dictionary(key, value, { maxKeys: 5 });
const ignore = fc.option(
  fc.uniqueArray(key, { maxLength: 2 }).map((keys) => new Set(keys)),
  { nil: undefined },
);

/** Whether `a` and `b` have one content digest. */
const sameDigest = (a: unknown, b: unknown, ignore?: ReadonlySet<string>) =>
  Buffer.from(contentDigestBytes(a, ignore)).equals(contentDigestBytes(b, ignore));

describe("contentDigestBytes and changedFields", () => {
  test("null and absent are one value at the top, not inside a field", () => {
    expect(sameDigest({ id: "s", team_id: null }, { id: "s" })).toBe(true);
    expect(changedFields({ id: "s", team_id: null }, { id: "s" })).toEqual([]);
    expect(sameDigest({ id: "s", context: { a: null } }, { id: "s", context: {} })).toBe(false);
    expect(changedFields({ id: "s", context: { a: null } }, { id: "s", context: {} })).toEqual(["context"]);
    expect(changedFields({ id: "s", team_id: "t" }, { id: "s" })).toEqual(["team_id"]);
    expect(changedFields({ id: "s", n: 1, m: 2 }, { id: "s", n: 2 }, new Set(["n"]))).toEqual(["m"]);
  });

  test("equal digests exactly when no field is named", () => {
    fc.assert(
      fc.property(object, object, ignore, (a, b, left) => {
        expect(changedFields(a, b, left).length === 0).toBe(sameDigest(a, b, left));
      }),
      { numRuns: 2000 },
    );
  });

  test("an object with a field changed, added or nulled is named by that field", () => {
    fc.assert(
      fc.property(object, key, value, (a, field, v) => {
        const b = { ...a, [field]: v };
        const fields = changedFields(a, b);
        expect(fields.every((f) => f === field)).toBe(true);
        expect(sameDigest(a, b)).toBe(fields.length === 0);
      }),
      { numRuns: 1000 },
    );
  });
});
