/**
 * The generator refuses what it does not model, naming where, rather than
 * emit a checker more lenient than zod; and it recognises a refinement by
 * the function src/rules.ts exports.
 */
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { Emitter } from "../scripts/emit-checks.js";
import { metadataWithinLimit } from "../src/rules.js";

/** A check run under a condition of its own, as zod's `when` parameter gives (not in zod/mini's types). */
function withWhen<C extends z.core.$ZodCheck<never>>(check: C): C {
  (check._zod.def as { when?: () => boolean }).when = () => true;
  return check;
}

const emit = (schema: z.ZodMiniType, rules = new Map<unknown, string>()) => new Emitter(rules).checker(schema, "Test");

describe("the checker generator", () => {
  it.each([
    [
      "a refinement not in src/rules.ts",
      z.object({ a: z.string() }).check(z.refine(() => true)),
      /Test .*refinement not exported by src\/rules.ts/,
    ],
    ["an unknown string format", z.object({ mail: z.email() }), /Test\.mail .*string format email is not supported/],
    ["an overwriting check", z.string().check(z.trim()), /Test .*overwrite.*not supported/],
    ["a multiple-of check", z.number().check(z.multipleOf(2)), /Test .*multiple_of.*not supported/],
    ["a check with its own when", z.string().check(withWhen(z.minLength(2))), /Test .*own `when`/],
    ["a default", z.object({ n: z._default(z.number(), 1) }), /Test\.n: a default node is not supported/],
    ["a pipe", z.pipe(z.string(), z.string()), /Test: a pipe node is not supported/],
    ["coercion", z.coerce.number(), /Test: coercion is not supported/],
    ["a loose record", z.looseRecord(z.string(), z.string()), /Test: a loose record is not supported/],
    ["a catchall of a type", z.catchall(z.object({}), z.string()), /Test: a string catchall is not supported/],
    ["a global pattern", z.string().check(z.regex(/a/g)), /Test .*global or sticky/],
  ])("fails on %s, naming the schema path", (_, schema, message) => {
    expect(() => emit(schema as z.ZodMiniType)).toThrow(message);
  });

  it("imports a rule of src/rules.ts by its name", () => {
    const emitter = new Emitter(new Map([[metadataWithinLimit, "metadataWithinLimit"]]));
    emitter.checker(z.record(z.string(), z.string()).check(z.refine(metadataWithinLimit)), "Test");
    expect([...emitter.rulesUsed]).toEqual(["metadataWithinLimit"]);
    expect(emitter.declarations.join("\n")).toContain("metadataWithinLimit(v as never)");
  });

  it("emits one function for a node used twice, and for two identical nodes", () => {
    const emitter = new Emitter(new Map());
    const item = z.object({ a: z.string().check(z.minLength(2)) });
    const twice = emitter.checker(z.object({ x: item, y: item }), "Test");
    const again = emitter.checker(z.object({ a: z.string().check(z.minLength(2)) }), "Other");
    const functions = emitter.declarations.filter((d) => d.startsWith("function"));
    expect(functions).toHaveLength(3); // the string, the item, the pair
    expect(again).toBe(emitter.checker(item, "Item"));
    expect(again).not.toBe(twice);
    expect(emitter.declarations.join("\n").match(/function c\d+/g)).toHaveLength(3);
  });
});
