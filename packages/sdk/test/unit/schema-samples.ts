/**
 * Values built from a schema, and ways to break them: the differential tests
 * of the fast parser and the fast validator run every schema through these.
 * @module
 */
export type AnyNode = {
  _zod: { def: Record<string, any>; traits: Set<string>; values?: Set<unknown>; optin?: string };
};

/** A small seeded PRNG (mulberry32), so a failure replays. */
export function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A value the schema should accept, choosing optional and nullable branches at random. */
export function sample(node: AnyNode, rand: () => number, depth = 0): unknown {
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
      return int
        ? Math.max(Math.ceil(low), Math.min(Math.floor(high), Math.round(value)))
        : value === low
          ? high
          : value;
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
    case "record": {
      if (rand() < 0.3) return {};
      // An enum-keyed record (per-kind counts) takes only its enum's keys.
      const keys =
        def.keyType?._zod.def.type === "enum"
          ? Object.values(def.keyType._zod.def.entries as Record<string, string>).slice(0, 2)
          : ["alpha", "beta"];
      return Object.fromEntries(keys.map((key) => [key, sample(def.valueType, rand, depth + 1)]));
    }
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
export function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) for (const [i, item] of value.entries()) out.push(...paths(item, [...at, i]));
  else if (value !== null && typeof value === "object")
    for (const [key, item] of Object.entries(value)) out.push(...paths(item, [...at, key]));
  return out;
}

export const BREAKERS: ((value: unknown) => unknown)[] = [
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
  (v) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.assign(JSON.parse('{"__proto__": {"polluted": true}}'), v)
      : v,
];

/** `value` with the thing at `path` replaced (or removed, for `undefined` inside an object). */
export function breakAt(
  value: unknown,
  path: (string | number)[],
  breaker: (v: unknown) => unknown,
  remove: boolean,
): unknown {
  if (path.length === 0) return breaker(value);
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  const [head, ...tail] = path;
  if (remove && tail.length === 0 && !Array.isArray(copy)) delete copy[head!];
  else copy[head!] = breakAt(copy[head!], tail, breaker, remove);
  return copy;
}

/** The value with key order and undefined entries made visible, for an exact comparison. */
export function exact(value: unknown): unknown {
  if (value === undefined) return "<undefined>";
  if (Array.isArray(value)) return value.map(exact);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, exact(v)]);
    return Object.getPrototypeOf(value) === Object.prototype ? entries : ["<prototype replaced>", entries];
  }
  return value;
}
