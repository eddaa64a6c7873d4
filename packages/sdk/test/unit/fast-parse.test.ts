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
import * as fastParse from "../../src/core/fast-parse.js";

const { FAIL, fastParser } = fastParse;

type AnyNode = { _zod: { def: Record<string, any>; traits: Set<string>; values?: Set<unknown>; optin?: string } };

/** A small seeded PRNG (mulberry32), so a failure replays. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A value the schema should accept, choosing optional and nullable branches at random. */
function sample(node: AnyNode, rand: () => number, depth = 0): unknown {
  const def = node._zod.def;
  const checks: AnyNode[] = [...(node._zod.traits.has("$ZodCheck") ? [node] : []), ...(def.checks ?? [])];
  const check = (kind: string) => checks.map((c) => c._zod.def).find((d) => d.check === kind);
  switch (def.type) {
    case "string": {
      const format = check("string_format")?.format ?? def.format;
      if (format === "guid" || format === "uuid") return "0f8fad5b-d9cb-469f-a165-70867728950e";
      if (format === "datetime") return rand() < 0.5 ? "2026-11-24T12:00:00.000Z" : "2026-02-28T23:59:59+01:00";
      if (format === "url") return "https://example.com/hook";
      if (format === "starts_with") return `${check("string_format")!.prefix}abc`;
      if (format === "regex") return "tool_name-1";
      const min = check("min_length")?.minimum ?? 0;
      const max = check("max_length")?.maximum ?? 40;
      return "s".repeat(Math.min(max, min + Math.floor(rand() * 8)));
    }
    case "number": {
      const low = check("greater_than")?.value ?? 0;
      const high = check("less_than")?.value ?? low + 100;
      const int = check("number_format") !== undefined || def.format?.includes("int");
      const value = low + (high - low) * rand();
      return int ? Math.max(Math.ceil(low), Math.min(Math.floor(high), Math.round(value))) : value === low ? high : value;
    }
    case "boolean":
      return rand() < 0.5;
    case "unknown":
    case "any":
      return rand() < 0.5 ? { nested: [1, "two"] } : "anything";
    case "null":
      return null;
    case "enum":
    case "literal": {
      const values = [...node._zod.values!];
      return values[Math.floor(rand() * values.length)];
    }
    case "nullable":
      return rand() < 0.3 ? null : sample(def.innerType, rand, depth);
    case "optional":
      return rand() < 0.3 ? undefined : sample(def.innerType, rand, depth);
    case "default":
      return rand() < 0.5 ? undefined : sample(def.innerType, rand, depth);
    case "array": {
      const min = check("min_length")?.minimum ?? 0;
      const n = depth > 3 ? min : min + Math.floor(rand() * 3);
      return Array.from({ length: n }, () => sample(def.element, rand, depth + 1));
    }
    case "record":
      return rand() < 0.3 ? {} : { alpha: sample(def.valueType, rand, depth + 1), beta: sample(def.valueType, rand, depth + 1) };
    case "union": {
      const options = def.options as AnyNode[];
      return sample(options[Math.floor(rand() * options.length)]!, rand, depth + 1);
    }
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(def.shape as Record<string, AnyNode>)) {
        const value = sample(field, rand, depth + 1);
        // An optional field is sometimes absent, sometimes present as undefined.
        if (value !== undefined || rand() < 0.3) out[key] = value;
      }
      if (def.catchall?._zod.def.type === "unknown") out.extra_field = "kept";
      return out;
    }
    default:
      return undefined;
  }
}

/** Every path into a JSON-ish value (objects and arrays), root included. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...paths(item, [...at, i])));
  else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) out.push(...paths(item, [...at, key]));
  return out;
}

const BREAKERS: ((value: unknown) => unknown)[] = [
  () => null,
  () => undefined,
  () => 1.5,
  () => -1,
  () => 0,
  () => "",
  () => "x".repeat(300),
  () => "😀",
  () => [],
  () => ({}),
  () => true,
  () => Number.NaN,
  () => "not-a-date",
  (v) => (typeof v === "string" ? `${v}😀` : v),
  (v) => (typeof v === "object" && v !== null && !Array.isArray(v) ? { ...v, unexpected_key: 1 } : v),
  // JSON.parse makes `__proto__` an own key, as a hostile server's answer would.
  (v) => (typeof v === "object" && v !== null && !Array.isArray(v) ? Object.assign(JSON.parse('{"__proto__": {"polluted": true}}'), v) : v),
];

/** `value` with the thing at `path` replaced (or removed, for `undefined` inside an object). */
function breakAt(value: unknown, path: (string | number)[], breaker: (v: unknown) => unknown, remove: boolean): unknown {
  if (path.length === 0) return breaker(value);
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  const [head, ...tail] = path;
  if (remove && tail.length === 0 && !Array.isArray(copy)) delete copy[head!];
  else copy[head!] = breakAt(copy[head!], tail, breaker, remove);
  return copy;
}

/** The value with key order and undefined entries made visible, for an exact comparison. */
function exact(value: unknown): unknown {
  if (value === undefined) return "<undefined>";
  if (Array.isArray(value)) return value.map(exact);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, exact(v)]);
    return Object.getPrototypeOf(value) === Object.prototype ? entries : ["<prototype replaced>", entries];
  }
  return value;
}

const versions = { "1.0": v1_0, "1.1": v1_1, "1.2": v1_2 } as const;

/** Run the differential over every schema with one build of the fast parser. */
function differential(label: string, { fastParser, FAIL }: typeof fastParse) {
for (const [version, module] of Object.entries(versions)) {
  const own = Object.entries(module).filter(([, value]) => typeof value === "object" && value !== null && "_zod" in value) as [string, z.ZodMiniType][];
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
          expect(theirs.success, `${name}: the fast parser accepted what zod refuses: ${JSON.stringify(broken)}`).toBe(true);
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
    const fresh = await import("../../src/core/fast-parse.js");
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
