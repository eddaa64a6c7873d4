/**
 * JSON-like values for the property tests of the content comparison and the migrate engine's hash: keys
 * from `named` (the fields the code under test treats apart) or short strings; leaves of every JSON type,
 * undefined members, the string "null", -0 and lossless numbers beyond 2^53.
 */
import fc from "fast-check";
import { JsonNumber } from "@resonantgenesis/sdk";

/** The key and value arbitraries over `named` keys. */
export function jsonArbitraries(named: readonly string[]): { key: fc.Arbitrary<string>; value: fc.Arbitrary<unknown> } {
  const key = fc.oneof(fc.constantFrom(...named), fc.string({ maxLength: 6 }));
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    leaf: fc.oneof(
      fc.constantFrom("", "null", 0, -0, 1),
      fc.string({ maxLength: 8 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.bigInt({ min: 2n ** 60n, max: 2n ** 70n }).map((n) => new JsonNumber(String(n))),
    ),
    node: fc.oneof(
      { depthSize: "small" },
      tie("leaf"),
      fc.array(tie("node"), { maxLength: 4 }),
      fc.dictionary(key, tie("node"), { maxKeys: 5 }),
    ),
  })).node;
  return { key, value };
}
