/**
 * The fast validator against zod, over the compatible reading of every schema
 * of every version (the reading it serves): whatever zod accepts it must
 * accept, whatever it accepts zod must accept, and zod's output must then be
 * the value as it came, since the SDK hands that value back.
 */
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { reading, v1_0, v1_1, v1_2 } from "@resonantgenesis/schemas";
import { fastValidator } from "../../src/internal/fast-validate.js";
import { BREAKERS, breakAt, exact, paths, rng, sample, type AnyNode } from "./schema-samples.js";

const versions = { "1.0": v1_0, "1.1": v1_1, "1.2": v1_2 } as const;

for (const [version, module] of Object.entries(versions)) {
  const named = (
    Object.entries(module).filter(([, value]) => typeof value === "object" && value !== null && "_zod" in value) as [
      string,
      z.ZodMiniType,
    ][]
  ).map(([name, schema]): [string, z.ZodMiniType] => [name, reading(schema, "compatible")]);

  describe(`fast validator = zod, compatible readings of API ${version}`, () => {
    it.each(named)("%s", (name, schema) => {
      const valid = fastValidator(schema);
      const rand = rng([...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, version.length + 7));
      let accepted = 0;
      let refused = 0;
      for (let round = 0; round < 25; round++) {
        const value = sample(schema as unknown as AnyNode, rand);
        const all = paths(value);
        const tries = [
          value,
          ...Array.from({ length: 12 }, () =>
            breakAt(
              value,
              all[Math.floor(rand() * all.length)]!,
              BREAKERS[Math.floor(rand() * BREAKERS.length)]!,
              rand() < 0.2,
            ),
          ),
        ];
        for (const candidate of tries) {
          const theirs = schema.safeParse(candidate);
          expect(valid(candidate), `${name}: ${JSON.stringify(candidate)}`).toBe(theirs.success);
          if (theirs.success) {
            accepted++;
            // Handed back as it came: zod's output is the value itself, keys, order and all
            // (zod drops an own `__proto__` key of an object; the SDK keeps it, as the inert data it is).
            if (!JSON.stringify(candidate).includes('"__proto__"'))
              expect(exact(theirs.data)).toEqual(exact(candidate));
          } else refused++;
        }
      }
      expect(accepted, `${name}: nothing valid was generated`).toBeGreaterThan(0);
      expect(accepted + refused).toBe(25 * 13);
    });
  });
}

describe("fast validator details", () => {
  it("keeps unknown keys, but not a missing required field or a wrong type", () => {
    const check = fastValidator(z.looseObject({ a: z.string(), b: z.optional(z.number()) }));
    expect(check({ a: "x", extra: { deep: 1 } })).toBe(true);
    expect(check({ b: 1 })).toBe(false);
    expect(check({ a: "x", b: "1" })).toBe(false);
  });

  it("defers what changes the value (a stripping object, checks) to the exact parser", () => {
    expect(fastValidator(z.object({ a: z.string() }))({ a: "x", b: 1 })).toBe(true);
    expect(fastValidator(z.string().check(z.minLength(3)))("ab")).toBe(false);
  });
});
