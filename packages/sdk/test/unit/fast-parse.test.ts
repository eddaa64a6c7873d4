/**
 * The fast parser against zod itself, over every schema of every version:
 * seeded random valid values built from each schema, then the same values
 * broken in many ways. Whatever the fast parser accepts, zod must accept with
 * the very same value (keys, order, undefined entries); whatever zod accepts
 * among the valid values, the fast parser must accept too (or it is no fast path).
 */
import { describe, expect, it, vi } from "vitest";
import * as z from "zod/mini";
import { reading, v1_0, v1_1, v1_2 } from "@resonantgenesis/schemas";
import * as fastParse from "../../src/internal/fast-parse.js";
import { BREAKERS, breakAt, exact, paths, rng, sample, type AnyNode } from "./schema-samples.js";

const { FAIL, fastParser } = fastParse;

const versions = { "1.0": v1_0, "1.1": v1_1, "1.2": v1_2 } as const;

/** Run the differential over every schema with one build of the fast parser. */
function differential(label: string, { fastParser, FAIL }: typeof fastParse) {
  for (const [version, module] of Object.entries(versions)) {
    const own = Object.entries(module).filter(
      ([, value]) => typeof value === "object" && value !== null && "_zod" in value,
    ) as [string, z.ZodMiniType][];
    // Each schema as written, and its two readings (the client reads answers through one of them).
    const named = own.flatMap(([name, schema]): [string, z.ZodMiniType][] => [
      [name, schema],
      [`${name} (compatible)`, reading(schema, "compatible")],
      [`${name} (strict)`, reading(schema, "strict")],
    ]);

    describe(`fast parser${label} = zod, API ${version}`, () => {
      it.each(named)("%s", (name, schema) => {
        const fast = fastParser(schema);
        const rand = rng([...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, version.length));
        let validSeen = 0;
        let brokenAccepted = 0;
        let brokenRejected = 0;
        for (let round = 0; round < 25; round++) {
          const valid = sample(schema as unknown as AnyNode, rand);
          const reference = schema.safeParse(valid);
          if (reference.success) {
            validSeen++;
            const mine = fast(valid);
            expect(mine, `${name}: zod accepts ${JSON.stringify(valid)}, the fast parser must too`).not.toBe(FAIL);
            expect(exact(mine)).toEqual(exact(reference.data));
          }
          const all = paths(valid);
          for (let k = 0; k < 12; k++) {
            const path = all[Math.floor(rand() * all.length)]!;
            const breaker = BREAKERS[Math.floor(rand() * BREAKERS.length)]!;
            const broken = breakAt(valid, path, breaker, rand() < 0.2);
            const mine = fast(broken);
            const theirs = schema.safeParse(broken);
            if (mine === FAIL) {
              brokenRejected++;
              continue;
            }
            brokenAccepted++;
            expect(
              theirs.success,
              `${name}: the fast parser accepted what zod refuses: ${JSON.stringify(broken)}`,
            ).toBe(true);
            expect(exact(mine)).toEqual(exact(theirs.success ? theirs.data : undefined));
          }
        }
        // Guard against a generator that makes nothing valid, or breaks nothing: then this test would prove nothing.
        expect(validSeen, `${name}: no valid sample was generated`).toBeGreaterThan(0);
        expect(brokenAccepted + brokenRejected).toBe(25 * 12);
      });
    });
  }
}

/**
 * The fast parser as a page under a strict Content-Security-Policy builds it:
 * `new Function` refused, so object shapes are walked in a loop. A fresh copy
 * of the module makes its first (eval-probing) compile while eval throws.
 */
async function withoutEval(): Promise<typeof fastParse> {
  vi.resetModules();
  const real = globalThis.Function;
  globalThis.Function = function refused() {
    throw new EvalError("refused by Content-Security-Policy");
  } as unknown as FunctionConstructor;
  try {
    const fresh = await import("../../src/internal/fast-parse.js");
    fresh.fastParser(z.object({ probe: z.string() }));
    return fresh;
  } finally {
    globalThis.Function = real;
  }
}

differential("", fastParse);
differential(" without eval", await withoutEval());

describe("fast parser details", () => {
  it("keeps zod's output: stripped keys, absent optionals, present undefined", () => {
    const schema = z.object({ a: z.string(), b: z.optional(z.number()), c: z.optional(z.number()) });
    const out = fastParser(schema)({ a: "x", c: undefined, d: 1 });
    expect(exact(out)).toEqual(exact(schema.parse({ a: "x", c: undefined, d: 1 })));
    expect(Object.keys(out as object)).toEqual(["a", "c"]);
  });

  it("refuses what zod refuses: strict extra keys, code-point lengths, refinements, formats", () => {
    expect(fastParser(z.strictObject({ a: z.string() }))({ a: "x", b: 1 })).toBe(FAIL);
    // One code point in two UTF-16 units: zod counts code points.
    expect(fastParser(z.string().check(z.minLength(2)))("😀")).toBe(FAIL);
    expect(fastParser(z.string().check(z.refine((s) => s.startsWith("a"))))("b")).toBe(FAIL);
    expect(fastParser(z.url({ protocol: /^https$/ }))("http://example.com")).toBe(FAIL);
    expect(fastParser(z.int())(1.5)).toBe(FAIL);
    expect(fastParser(z.number())(Number.POSITIVE_INFINITY)).toBe(FAIL);
  });

  it("applies zod's overwriting checks and defaults", () => {
    expect(fastParser(z.string().check(z.trim()))("  a  ")).toBe("a");
    const withDefault = z.object({ n: z._default(z.number(), 7) });
    expect(fastParser(withDefault)({})).toEqual({ n: 7 });
  });

  it("hands unusual records to zod without running their checks twice", () => {
    let runs = 0;
    const schema = z.record(z.string(), z.string()).check(
      z.refine(() => {
        runs++;
        return true;
      }),
    );
    // Not Object.prototype directly: the fast path leaves it to zod's record parse.
    const input = Object.assign(Object.create({ inherited: 1 }) as Record<string, string>, { a: "x" });
    expect(fastParser(schema)(input)).toEqual({ a: "x" });
    expect(runs).toBe(1);
  });

  it("parses recursive schemas", () => {
    interface Tree {
      children: Tree[];
    }
    const Tree: z.ZodMiniType<Tree> = z.object({
      get children() {
        return z.array(Tree);
      },
    });
    const value = { children: [{ children: [] }, { children: [{ children: [] }] }] };
    expect(fastParser(Tree)(value)).toEqual(value);
    expect(fastParser(Tree)({ children: [{ children: 1 }] })).toBe(FAIL);
  });
});

describe("zod's jitless setting", () => {
  it("is honoured: no code is generated, not even the probe, and the loop parses the same", async () => {
    vi.resetModules();
    const probes: string[] = [];
    const real = globalThis.Function;
    z.config({ jitless: true });
    globalThis.Function = function spy(...args: string[]) {
      probes.push(args.join(","));
      return real(...args);
    } as unknown as FunctionConstructor;
    try {
      const fresh = (await import("../../src/internal/fast-parse.js")) as typeof fastParse;
      const schema = z.object({ name: z.string(), n: z.optional(z.number()) });
      expect(fresh.fastParser(schema)({ name: "a", n: 1, extra: true })).toEqual({ name: "a", n: 1 });
      expect(probes).toEqual([]);
    } finally {
      globalThis.Function = real;
      z.config({ jitless: false });
    }
  });
});
