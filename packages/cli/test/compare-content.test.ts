/**
 * The content comparison of verify, restore and the dry runs: a top-level
 * field that is null on one side and absent on the other is no difference,
 * a null inside a field is one, and the digest and the list of changed
 * fields never disagree (an object found changed always names a field).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { changedFields, contentDigest, contentDigestBytes } from "../src/core/canonical.js";
import { jsonArbitraries } from "./json-arbitraries.js";

const { key, value } = jsonArbitraries(["team_id", "description", "id", "metadata", "a", "é", '"q"', ""]);
const object = fc.dictionary(key, value, { maxKeys: 5 });
const ignore = fc.option(
  fc.uniqueArray(key, { maxLength: 2 }).map((keys) => new Set(keys)),
  { nil: undefined },
);

describe("contentDigest and changedFields", () => {
  test("null and absent are one value at the top, not inside a field", () => {
    expect(contentDigest({ id: "s", team_id: null })).toBe(contentDigest({ id: "s" }));
    expect(changedFields({ id: "s", team_id: null }, { id: "s" })).toEqual([]);
    expect(contentDigest({ id: "s", context: { a: null } })).not.toBe(contentDigest({ id: "s", context: {} }));
    expect(changedFields({ id: "s", context: { a: null } }, { id: "s", context: {} })).toEqual(["context"]);
    expect(changedFields({ id: "s", team_id: "t" }, { id: "s" })).toEqual(["team_id"]);
    expect(changedFields({ id: "s", n: 1, m: 2 }, { id: "s", n: 2 }, new Set(["n"]))).toEqual(["m"]);
  });

  test("equal digests exactly when no field is named", () => {
    fc.assert(
      fc.property(object, object, ignore, (a, b, left) => {
        const same = contentDigest(a, left) === contentDigest(b, left);
        expect(changedFields(a, b, left).length === 0).toBe(same);
        // The binary digest verify, restore and the dry runs keep (digest-index.ts) follows the same rule.
        expect(Buffer.from(contentDigestBytes(a, left)).equals(contentDigestBytes(b, left))).toBe(same);
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
        expect(contentDigest(a) === contentDigest(b)).toBe(fields.length === 0);
      }),
      { numRuns: 1000 },
    );
  });
});
