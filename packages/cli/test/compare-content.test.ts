/**
 * The content comparison of verify, restore and the dry runs: a top-level
 * field that is null on one side and absent on the other is no difference,
 * a null inside a field is one, and the digest and the list of changed
 * fields never disagree (an object found changed always names a field).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { JsonNumber } from "@resonantgenesis/sdk";
import { changedFields, contentDigestBytes } from "../src/core/canonical.js";
import { jsonArbitraries } from "./json-arbitraries.js";

const { key, value } = jsonArbitraries([
  "team_id",
  "description",
  "id",
  "metadata",
  "a",
  "é",
  '"q"',
  "",
  "__proto__",
  "10",
  "2",
]);
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
    // A value that is no object is compared whole: never the same as an object, even one whose only field is "".
    expect(changedFields("x", { "": "x" })).toEqual([""]);
    expect(sameDigest("x", { "": "x" })).toBe(false);
    expect(changedFields([1], [1])).toEqual([]);
  });

  test("numbers a double cannot hold differ by their digits, at any depth", () => {
    const a = new JsonNumber("9007199254740993");
    const b = new JsonNumber("9007199254740992");
    expect(sameDigest({ id: "s", n: a }, { id: "s", n: b })).toBe(false);
    expect(sameDigest({ id: "s", m: { k: [a] } }, { id: "s", m: { k: [b] } })).toBe(false);
    expect(sameDigest({ id: "s", m: { k: [a] } }, { id: "s", m: { k: [new JsonNumber(a.text)] } })).toBe(true);
  });

  test("key order is no difference, at any depth", () => {
    const a = { id: "s", m: { b: 1, a: [{ y: 1, x: 2 }], 10: "t", 2: "u" }, n: null };
    const b = { n: undefined, m: { 2: "u", a: [{ x: 2, y: 1 }], b: 1, 10: "t" }, id: "s" };
    expect(sameDigest(a, b)).toBe(true);
    expect(sameDigest(a, { ...b, m: { ...b.m, a: [{ x: 2 }, { y: 1 }] } })).toBe(false);
  });

  test("equal digests exactly when no field is named", () => {
    // Mostly objects, as records are; any JSON value too, which is compared whole.
    const record = fc.oneof({ weight: 4, arbitrary: object }, { weight: 1, arbitrary: value });
    fc.assert(
      fc.property(record, record, ignore, (a, b, left) => {
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
