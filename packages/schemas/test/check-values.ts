/**
 * Values for the differential test of the generated checkers: fast-check
 * arbitraries built from a zod schema (valid values, mostly), the golden
 * answers of the SDK's tests, and the ways a value is broken (a field
 * removed, a wrong type, an unknown key, a too-long string, a bad uuid, an
 * unknown enum value or discriminator, NaN and the infinities...).
 * A port of packages/sdk/test/unit/schema-samples.ts to fast-check.
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";

type AnyNode = {
  _zod: { def: Record<string, any>; traits: Set<string>; values?: Set<unknown>; optin?: string };
};

const checksOf = (node: AnyNode): Record<string, any>[] =>
  [...(node._zod.traits.has("$ZodCheck") ? [node] : []), ...(node._zod.def.checks ?? [])].map((c) => c._zod.def);

/** Values the schema accepts (or nearly: a union's or refinement's rules are not modelled). */
export function arbitraryOf(node: AnyNode, depth = 0): fc.Arbitrary<unknown> {
  const def = node._zod.def;
  const checks = checksOf(node);
  const find = (kind: string) => checks.find((c) => c.check === kind);
  switch (def.type) {
    case "string": {
      const format = find("string_format");
      if (format?.format === "url")
        return fc.oneof(
          fc.constantFrom("https://example.com/hook", " https://example.com/x ", "https://a.b.example/path?q=1"),
          fc.webUrl({ validSchemes: ["https"] }),
        );
      if (format?.format === "starts_with") return fc.string({ maxLength: 8 }).map((s) => `${format.prefix}${s}`);
      if (format?.pattern instanceof RegExp) return fc.stringMatching(format.pattern);
      const minLength = find("min_length")?.minimum ?? 0;
      const maxLength = Math.min(find("max_length")?.maximum ?? 12, minLength + 12);
      // Code points, as zod counts them: the binary unit brings surrogate pairs.
      return fc.oneof(fc.string({ minLength, maxLength }), fc.string({ unit: "binary", minLength, maxLength }));
    }
    case "number": {
      const low = find("greater_than");
      const high = find("less_than");
      const min = low?.value ?? -1e6;
      const max = high?.value ?? 1e6;
      if (find("number_format")) return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true, minExcluded: low?.inclusive === false });
    }
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "unknown":
    case "any":
      return fc.jsonValue({ maxDepth: 2 });
    case "enum":
    case "literal":
      return fc.constantFrom(...node._zod.values!);
    case "nullable":
      return fc.option(arbitraryOf(def.innerType, depth), { nil: null, freq: 3 });
    case "optional":
      return fc.option(arbitraryOf(def.innerType, depth), { nil: undefined, freq: 3 });
    case "array": {
      const minLength = find("min_length")?.minimum ?? 0;
      const maxLength = Math.min(find("max_length")?.maximum ?? 3, depth > 2 ? minLength : minLength + 2);
      return fc.array(arbitraryOf(def.element, depth + 1), { minLength, maxLength });
    }
    case "record": {
      const keyDef = def.keyType._zod.def;
      const keys = keyDef.type === "enum" ? fc.constantFrom(...Object.values(keyDef.entries as object)) : fc.string();
      return fc.dictionary(keys as fc.Arbitrary<string>, arbitraryOf(def.valueType, depth + 1), { maxKeys: 3 });
    }
    case "union":
      return fc.oneof(...(def.options as AnyNode[]).map((o) => arbitraryOf(o, depth + 1)));
    case "object": {
      const shape = def.shape as Record<string, AnyNode>;
      const fields = Object.fromEntries(Object.entries(shape).map(([k, f]) => [k, arbitraryOf(f, depth + 1)]));
      const requiredKeys = Object.keys(shape).filter((k) => shape[k]!._zod.optin === undefined);
      const record = fc.record(fields, { requiredKeys });
      if (def.catchall?._zod.def.type !== "unknown") return record;
      // A loose object: sometimes with keys of its own.
      return fc
        .tuple(record, fc.dictionary(fc.constantFrom("extra", "x_new", "region"), fc.jsonValue({ maxDepth: 1 })))
        .map(([known, extra]) => ({ ...extra, ...known }));
    }
    default:
      throw new Error(`check-values: no arbitrary for a ${def.type} node`);
  }
}

/** Every path into a JSON-ish value (objects and arrays), root included. */
export function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) for (const [i, item] of value.entries()) out.push(...paths(item, [...at, i]));
  else if (value !== null && typeof value === "object")
    for (const [key, item] of Object.entries(value)) out.push(...paths(item, [...at, key]));
  return out;
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const REMOVE = Symbol("remove");

/** The ways a value is broken; each takes the value at a path and gives its replacement (or REMOVE). */
export const MUTATIONS: readonly [string, (value: unknown) => unknown][] = [
  ["field removed", () => REMOVE],
  ["wrong type: number", () => 42],
  ["wrong type: string", () => "x"],
  ["wrong type: array", () => []],
  ["wrong type: object", () => ({})],
  ["wrong type: boolean", () => true],
  ["null", () => null],
  ["undefined", () => undefined],
  ["unknown key", (v) => (isPlain(v) ? { ...v, unexpected_key: 1 } : v)],
  ["own __proto__ key", (v) => (isPlain(v) ? Object.assign(JSON.parse('{"__proto__": {"polluted": true}}'), v) : v)],
  ["too-long string", () => "x".repeat(10_001)],
  ["101 code points in 202 units", () => "😀".repeat(101)],
  ["100 code points in 200 units", () => "😀".repeat(100)],
  ["lone surrogate", () => "\uD800"],
  ["empty string", () => ""],
  ["bad uuid", () => "0f8fad5b-d9cb-469f-a165-70867728950g"],
  ["another id format", () => "agt_01HZY"],
  ["bad date", () => "2026-02-30T10:00:00Z"],
  ["date with offset", () => "2026-11-24T10:00:00+01:00"],
  ["http url", () => "http://example.com/hook"],
  ["https url with spaces", () => "  https://example.com/hook\n"],
  ["not a url", () => "https//example"],
  ["unknown enum value", () => "surely_not_a_value"],
  ["whsec_ secret", () => "whsec_abc"],
  ["evt_ id", () => "evt_abc"],
  [
    "unknown discriminator",
    (v) => (isPlain(v) ? { ...v, ...("type" in v ? { type: "unknown_type" } : { kind: "unknown_kind" }) } : v),
  ],
  ["NaN", () => Number.NaN],
  ["Infinity", () => Number.POSITIVE_INFINITY],
  ["-Infinity", () => Number.NEGATIVE_INFINITY],
  ["fraction", () => 1.5],
  ["negative", () => -1],
  ["zero", () => 0],
  ["unsafe integer", () => 2 ** 53],
  ["17 metadata keys", () => Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]))],
  ["1001 items", (v) => (Array.isArray(v) && v.length > 0 ? Array.from({ length: 1001 }, () => v[0]) : v)],
  [
    "lead not a member",
    (v) => (isPlain(v) && "agent_ids" in v ? { ...v, lead_agent_id: "0f8fad5b-d9cb-469f-a165-70867728950e" } : v),
  ],
  [
    "agent and team",
    (v) => (isPlain(v) && "agent_id" in v ? { ...v, team_id: "0f8fad5b-d9cb-469f-a165-70867728950e" } : v),
  ],
  // Values no JSON answer holds, which a caller's request body might: zod's object and record tests differ on them.
  ["every key inherited", (v) => (isPlain(v) ? Object.create(v) : v)],
  ["null prototype", (v) => (isPlain(v) ? Object.assign(Object.create(null), v) : v)],
  ["class instance", (v) => (isPlain(v) ? Object.assign(new (class Box {})(), v) : v)],
  ["symbol key", (v) => (isPlain(v) ? { ...v, [Symbol("s")]: 1 } : v)],
  ["hidden key", (v) => (isPlain(v) ? Object.defineProperty({ ...v }, "hidden", { value: 1, enumerable: false }) : v)],
  ["array with a hole", (v) => (Array.isArray(v) ? Object.assign([...v], { length: v.length + 1 }) : v)],
  ["date", () => new Date(0)],
  ["map", () => new Map([["a", 1]])],
];

/** `value` with the thing at `path` replaced by the mutation (or its key removed). */
export function mutate(value: unknown, path: (string | number)[], mutation: (value: unknown) => unknown): unknown {
  if (path.length === 0) {
    const out = mutation(value);
    return out === REMOVE ? undefined : out;
  }
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  const [head, ...tail] = path;
  if (tail.length === 0 && mutation(copy[head!]) === REMOVE) {
    if (Array.isArray(copy)) copy.splice(head as number, 1);
    else delete copy[head!];
  } else copy[head!] = mutate(copy[head!], tail, mutation);
  return copy;
}

const GOLDEN = join(import.meta.dirname, "..", "..", "sdk", "test", "golden", "answers");

/** The SDK's golden answers (every JSON file, every NDJSON line) and every object and array inside them. */
export function goldenValues(): unknown[] {
  const wholes: unknown[] = [];
  for (const file of readdirSync(GOLDEN)) {
    const text = readFileSync(join(GOLDEN, file), "utf8");
    if (file.endsWith(".json")) wholes.push(JSON.parse(text));
    else if (file.endsWith(".ndjson.txt"))
      for (const line of text.split("\n")) if (line.trim() !== "") wholes.push(JSON.parse(line));
  }
  const parts: unknown[] = [];
  for (const whole of wholes)
    for (const path of paths(whole)) {
      const part = path.reduce<any>((v, key) => v[key], whole);
      if (typeof part === "object" && part !== null) parts.push(part);
    }
  return parts;
}
