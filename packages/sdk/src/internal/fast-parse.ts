/**
 * A fast path for checking answers: the schema's tree is turned, once, into
 * plain closures that accept exactly what zod accepts and build exactly the
 * value zod would return, without zod's per-node payloads, issue arrays and
 * bookkeeping. Only success is handled here: on any doubt a closure answers
 * {@link FAIL} and the caller runs zod itself, which then reports the issues
 * as always. So the fast path may be conservative, but never more lenient.
 *
 * Containers (object, array, optional, nullable) and the plain leaves are
 * mirrored from zod's own parse; every check (lengths, formats, refinements)
 * is zod's own check function, called on a reused payload; any other node
 * (unions, records, defaults, pipes, coercion) is handed to zod whole.
 * No code is generated, so a strict Content-Security-Policy is no obstacle.
 * @module
 */

/** What a fast parser answers when zod must decide. */
export const FAIL: unique symbol = Symbol("fast-parse: ask zod");

/** Parses one value; returns the parsed value or {@link FAIL}. */
export type FastParser = (value: unknown) => unknown;

// The slice of zod's internals read here. zod 4 documents `_zod` as its
// internal surface; the differential test pins this file to zod's behaviour.
interface Payload {
  value: unknown;
  issues: unknown[];
}
interface Check {
  _zod: { def: { when?: (payload: Payload) => boolean }; check: (payload: Payload) => unknown };
}
interface Node {
  _zod: {
    def: {
      type: string;
      coerce?: boolean;
      checks?: Check[];
      innerType?: Node;
      element?: Node;
      shape?: Record<string, Node>;
      catchall?: Node;
    };
    traits: Set<string>;
    optin?: "optional" | "defaulted";
    optout?: "optional";
    values?: Set<unknown>;
    run: (payload: Payload, ctx: { async: false }) => Payload | Promise<Payload>;
    parse: (payload: Payload, ctx: { async: false }) => Payload | Promise<Payload>;
    check?: Check["_zod"]["check"];
  };
}

const cache = new WeakMap<object, FastParser>();

/** The fast parser of a zod schema, built on first use and kept with the schema. */
export function fastParser(schema: object): FastParser {
  return memoized(cache, schema, () => compile(schema as Node));
}

/**
 * `build()` run once per schema and kept in `cache`. A recursive schema meets
 * itself while it is built: it then gets a forwarder to the finished function.
 */
export function memoized<F extends (value: unknown) => unknown>(
  cache: WeakMap<object, F>,
  schema: object,
  build: () => F,
): F {
  const known = cache.get(schema);
  if (known !== undefined) return known;
  let built: F | undefined;
  cache.set(schema, ((value: unknown) => built!(value)) as F);
  built = build();
  cache.set(schema, built);
  return built;
}

function compile(node: Node): FastParser {
  const checks = checksOf(node);
  const base = parserOf(node);
  return checks.length === 0 || base === zodOnly(node) ? base : withChecks(base, checks);
}

// zod runs a schema that is itself a check (z.int(), z.uuid()) as its first check.
function checksOf(node: Node): Check[] {
  const own = node._zod.def.checks ?? [];
  return node._zod.traits.has("$ZodCheck") ? [node as unknown as Check, ...own] : own;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function parserOf(node: Node): FastParser {
  const { def, traits } = node._zod;
  if (def.coerce) return zodOnly(node);
  switch (def.type) {
    case "string":
      return (v) => (typeof v === "string" ? v : FAIL);
    case "number":
      // Number.isFinite is false for NaN and the infinities, as zod's check is.
      return (v) => (typeof v === "number" && Number.isFinite(v) ? v : FAIL);
    case "boolean":
      return (v) => (typeof v === "boolean" ? v : FAIL);
    case "unknown":
    case "any":
      return (v) => v;
    case "null":
      return (v) => (v === null ? v : FAIL);
    case "enum":
    case "literal": {
      const values = node._zod.values;
      if (values === undefined) return zodOnly(node);
      return (v) => (values.has(v) ? v : FAIL);
    }
    case "nullable": {
      const inner = fastParser(def.innerType!);
      return (v) => (v === null ? v : inner(v));
    }
    case "optional": {
      // An exact optional, or one around a default, treats absence its own way: zod decides.
      if (traits.has("$ZodExactOptional") || def.innerType!._zod.optin === "defaulted") return zodOnly(node);
      const inner = fastParser(def.innerType!);
      return (v) => (v === undefined ? v : inner(v));
    }
    case "array": {
      const element = fastParser(def.element!);
      return (v) => {
        if (!Array.isArray(v)) return FAIL;
        const out: unknown[] = new Array(v.length);
        for (let i = 0; i < v.length; i++) {
          const item = element(v[i]);
          if (item === FAIL) return FAIL;
          out[i] = item;
        }
        return out;
      };
    }
    case "object":
      return objectParser(node);
    case "record":
      return recordParser(node);
    case "union":
      return traits.has("$ZodDiscriminatedUnion") ? discriminatedParser(node) : zodOnly(node);
    default:
      return zodOnly(node);
  }
}

interface Field {
  key: string;
  parse: FastParser;
  optin: "optional" | "defaulted" | undefined;
  optional: boolean;
}

const toField = (key: string, node: Node): Field => ({
  key,
  parse: fastParser(node),
  optin: node._zod.optin,
  optional: node._zod.optout === "optional",
});

/**
 * Mirrors zod's object parse and its `handlePropertyResult`: shape keys in
 * order, absent optional keys left out, unknown keys stripped (plain
 * object), refused (strict) or passed through the catch-all (loose).
 */
function objectParser(node: Node): FastParser {
  const shape = node._zod.def.shape!;
  if (Object.getOwnPropertySymbols(shape).length > 0) return zodOnly(node);
  const fields = Object.keys(shape)
    .filter((key) => key !== "__proto__")
    .map((key) => toField(key, shape[key]!));
  const keys = new Set(Object.keys(shape));
  const catchall = node._zod.def.catchall;
  const strict = catchall?._zod.def.type === "never";
  const rest = catchall === undefined || strict ? undefined : toField("", catchall);
  const walkFields =
    generatedFields(fields) ?? ((input, out) => fields.every((field) => property(field, field.key, input, out)));

  return (input) => {
    if (!isObject(input)) return FAIL;
    const out: Record<string, unknown> = {};
    if (!walkFields(input, out)) return FAIL;
    if (strict) {
      for (const key in input) if (!keys.has(key)) return FAIL;
    } else if (rest !== undefined) {
      for (const key in input)
        if (!keys.has(key) && key !== "__proto__" && !property(rest, key, input, out)) return FAIL;
    }
    return out;
  };
}

type WalkFields = (input: Record<string, unknown>, out: Record<string, unknown>) => boolean;

let evalAllowed: boolean | undefined;

// zod keeps its global config on globalThis; reading it there spares this module an import of zod.
const zodJitless = (): boolean =>
  (globalThis as { __zod_globalConfig?: { jitless?: boolean } }).__zod_globalConfig?.jitless === true;

/**
 * The shape's loop, unrolled into one function with each key written out, as
 * zod's own JIT does: `input["name"]` is a fast named access where a loop's
 * `input[key]` is a slow keyed one. Undefined where eval is refused (CSP);
 * the loop then does the same work.
 */
function generatedFields(fields: Field[]): WalkFields | undefined {
  // zod's own switch for no-eval pages (`z.config({ jitless: true })`), honoured before
  // probing: a strict CSP reports even a caught `new Function` as a violation.
  if (zodJitless()) return undefined;
  if (evalAllowed === undefined) {
    try {
      evalAllowed = new Function("return true")() === true;
    } catch {
      evalAllowed = false;
    }
  }
  if (!evalAllowed) return undefined;
  const lines = fields.map((field, i) => {
    const k = JSON.stringify(field.key);
    if (field.optin === undefined) {
      // Required: present and valid, or zod reports it.
      return `v = p[${i}](input[${k}]); if (v === FAIL) return false; if (v !== undefined) out[${k}] = v; else if (${k} in input) out[${k}] = undefined; else return false;`;
    }
    if (field.optin === "optional" && field.optional) {
      // Optional: an absent key is left out whatever its schema makes of undefined.
      return `if (${k} in input) { v = p[${i}](input[${k}]); if (v === FAIL) return false; out[${k}] = v; }`;
    }
    return `if (!prop(f[${i}], ${k}, input, out)) return false;`;
  });
  const body = `return function walkFields(input, out) { let v; ${lines.join("\n")} return true; };`;
  return new Function("p", "f", "FAIL", "prop", body)(
    fields.map((field) => field.parse),
    fields,
    FAIL,
    property,
  ) as WalkFields;
}

/** One property, as zod's `handlePropertyResult` treats it on success; false when zod would report an issue. */
function property(field: Field, key: string, input: Record<string, unknown>, out: Record<string, unknown>): boolean {
  const value = field.parse(input[key]);
  const present = key in input;
  if (!present && field.optional && field.optin === "optional") return true;
  if (value === FAIL) return !present && field.optin !== undefined && field.optional;
  if (!present && field.optin === undefined) return false;
  if (value !== undefined) out[key] = value;
  else if (present || (field.optin === "defaulted" && !field.optional)) out[key] = undefined;
  return true;
}

/**
 * A record of plain string keys, as zod's record parse walks it: every own
 * enumerable key but `__proto__`, each value parsed. Anything unusual (a key
 * schema with checks or a fixed key set, a prototype, symbol keys) goes to zod.
 */
function recordParser(node: Node): FastParser {
  const { keyType, valueType } = node._zod.def as { keyType?: Node; valueType?: Node };
  const key = keyType?._zod;
  if (key?.def.type !== "string" || key.def.coerce || key.values || checksOf(keyType!).length > 0 || !valueType)
    return zodOnly(node);
  const value = fastParser(valueType);
  const zod = zodParse(node);
  return (input) => {
    if (!isObject(input) || Object.getPrototypeOf(input) !== Object.prototype || Object.hasOwn(input, "constructor"))
      return zod(input);
    if (Object.getOwnPropertySymbols(input).length > 0) return FAIL;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(input)) {
      if (k === "__proto__") continue;
      const parsed = value(input[k]);
      if (parsed === FAIL) return FAIL;
      out[k] = parsed;
    }
    return out;
  };
}

/**
 * A discriminated union picks its option by the discriminator's value, as
 * zod does; a value no single option claims is left to zod.
 */
function discriminatedParser(node: Node): FastParser {
  const { discriminator, options } = node._zod.def as { discriminator?: string; options?: Node[] };
  if (discriminator === undefined || options === undefined) return zodOnly(node);
  const owners = new Map<unknown, Node | null>();
  for (const option of options) {
    const values = (option._zod as { propValues?: Record<string, Set<unknown>> }).propValues?.[discriminator];
    if (values === undefined) return zodOnly(node);
    for (const value of values) owners.set(value, owners.has(value) ? null : option);
  }
  const byValue = new Map<unknown, FastParser>();
  for (const [value, option] of owners) if (option !== null) byValue.set(value, fastParser(option));
  const zod = zodParse(node);
  return (input) => {
    if (!isObject(input)) return FAIL;
    const parse = byValue.get(input[discriminator]);
    return parse === undefined ? zod(input) : parse(input);
  };
}

/** Runs zod's own checks, in zod's order and with its `when` guards, on one reused payload. */
function withChecks(base: FastParser, checks: Check[]): FastParser {
  const payload: Payload = { value: undefined, issues: [] };
  return (v) => {
    const parsed = base(v);
    if (parsed === FAIL) return FAIL;
    payload.value = parsed;
    try {
      for (const check of checks) {
        const { when } = check._zod.def;
        if (when !== undefined && !when(payload)) continue;
        if (check._zod.check(payload) instanceof Promise || payload.issues.length > 0) return FAIL;
      }
      // An overwrite check (trim, toLowerCase) replaces the value, as in zod.
      return payload.value;
    } catch {
      return FAIL;
    } finally {
      payload.issues = [];
      payload.value = undefined;
    }
  };
}

const zodOnlyCache = new WeakMap<Node, FastParser>();

/** The node parsed by zod itself (unions, records, defaults...): slower, exact. */
function zodOnly(node: Node): FastParser {
  let parser = zodOnlyCache.get(node);
  if (parser === undefined) {
    parser = byZod((payload) => node._zod.run(payload, { async: false }));
    zodOnlyCache.set(node, parser);
  }
  return parser;
}

/**
 * The node's own parse by zod, without its checks: the fallback inside a
 * parser whose checks {@link withChecks} runs afterwards, so none runs twice.
 */
function zodParse(node: Node): FastParser {
  return byZod((payload) => node._zod.parse(payload, { async: false }));
}

function byZod(run: (payload: Payload) => Payload | Promise<Payload>): FastParser {
  return (v) => {
    try {
      const result = run({ value: v, issues: [] });
      return result instanceof Promise || result.issues.length > 0 ? FAIL : result.value;
    } catch {
      return FAIL;
    }
  };
}
