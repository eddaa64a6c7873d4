/**
 * A validator for the compatible reading of an answer: since that reading
 * neither strips, defaults nor transforms, a value it accepts is handed back
 * as it came, and checking is all there is to do. So where the fast parser
 * (fast-parse.ts) builds zod's output, this builds nothing: it walks the
 * value once and answers whether zod would accept it. On `false`, or for any
 * node it does not model, the caller asks zod (which then reports).
 *
 * It models the nodes a compatible reading is made of: loose objects, plain
 * strings, finite numbers, booleans, null, literals, unknown, arrays,
 * optional, nullable, records of string keys and discriminated unions; for
 * any other node it defers to the fast parser, which mirrors zod exactly.
 * @module
 */
import { FAIL, fastParser, memoized } from "./fast-parse.js";

/** Answers whether zod would accept the value (false may also mean "ask zod"). */
export type FastValidator = (value: unknown) => boolean;

interface Node {
  _zod: {
    def: {
      type: string;
      coerce?: boolean;
      checks?: unknown[];
      innerType?: Node;
      element?: Node;
      shape?: Record<string, Node>;
      catchall?: Node;
      keyType?: Node;
      valueType?: Node;
      discriminator?: string;
      options?: Node[];
    };
    traits: Set<string>;
    optin?: "optional" | "defaulted";
    optout?: "optional";
    values?: Set<unknown>;
    propValues?: Record<string, Set<unknown>>;
  };
}

const cache = new WeakMap<object, FastValidator>();

/** The validator of a schema that keeps values as they came (a compatible reading), built once. */
export function fastValidator(schema: object): FastValidator {
  return memoized(cache, schema, () => build(schema as Node));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The fast parser as a validator: exact, but builds zod's output on the way. */
function viaParser(node: Node): FastValidator {
  const parse = fastParser(node);
  return (v) => parse(v) !== FAIL;
}

function build(node: Node): FastValidator {
  const { def, traits } = node._zod;
  const plain = !def.coerce && (def.checks ?? []).length === 0 && !traits.has("$ZodCheck");
  if (!plain) return viaParser(node);
  switch (def.type) {
    case "string":
      return (v) => typeof v === "string";
    case "number":
      return (v) => typeof v === "number" && Number.isFinite(v);
    case "boolean":
      return (v) => typeof v === "boolean";
    case "null":
      return (v) => v === null;
    case "unknown":
    case "any":
      return () => true;
    case "literal":
    case "enum": {
      const values = node._zod.values;
      return values === undefined ? viaParser(node) : (v) => values.has(v);
    }
    case "nullable": {
      const inner = fastValidator(def.innerType!);
      return (v) => v === null || inner(v);
    }
    case "optional": {
      if (traits.has("$ZodExactOptional") || def.innerType!._zod.optin === "defaulted") return viaParser(node);
      const inner = fastValidator(def.innerType!);
      return (v) => v === undefined || inner(v);
    }
    case "array": {
      const element = fastValidator(def.element!);
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return true;
      };
    }
    case "object":
      return objectValidator(node);
    case "record":
      return recordValidator(node);
    case "union":
      return def.discriminator === undefined ? viaParser(node) : discriminatedValidator(node);
    default:
      return viaParser(node);
  }
}

/**
 * A loose object: each field of the shape present and valid (an absent
 * optional one is fine); other keys are kept whatever they hold. A strict or
 * stripping object changes or refuses the value, which is the parser's job.
 */
function objectValidator(node: Node): FastValidator {
  const { shape, catchall } = node._zod.def;
  if (catchall === undefined || catchall._zod.def.type !== "unknown" || Object.getOwnPropertySymbols(shape!).length > 0)
    return viaParser(node);
  const fields = Object.keys(shape!).map((key) => {
    const field = shape![key]!;
    return {
      key,
      check: fastValidator(field),
      optional: field._zod.optin === "optional" && field._zod.optout === "optional",
    };
  });
  if (fields.some((f) => f.key === "__proto__" || (!f.optional && shape![f.key]!._zod.optin !== undefined)))
    return viaParser(node);
  return (v) => {
    if (!isObject(v)) return false;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      const value = v[field.key];
      if (value === undefined && !(field.key in v)) {
        if (!field.optional) return false;
      } else if (!field.check(value)) return false;
    }
    return true;
  };
}

/** A record of plain string keys: every own key's value valid. Anything unusual goes to the parser. */
function recordValidator(node: Node): FastValidator {
  const { keyType, valueType } = node._zod.def;
  const key = keyType?._zod;
  if (key?.def.type !== "string" || key.def.coerce || key.values || (key.def.checks ?? []).length > 0 || !valueType)
    return viaParser(node);
  const value = fastValidator(valueType);
  const exact = viaParser(node);
  return (v) => {
    if (!isObject(v) || Object.getPrototypeOf(v) !== Object.prototype || Object.getOwnPropertySymbols(v).length > 0)
      return exact(v);
    for (const k of Object.keys(v)) if (k !== "__proto__" && !value(v[k])) return false;
    return true;
  };
}

/** A discriminated union: the option its discriminator names, as zod picks it. */
function discriminatedValidator(node: Node): FastValidator {
  const { discriminator, options } = node._zod.def;
  const owners = new Map<unknown, Node | null>();
  for (const option of options!) {
    const values = option._zod.propValues?.[discriminator!];
    if (values === undefined) return viaParser(node);
    for (const value of values) owners.set(value, owners.has(value) ? null : option);
  }
  const byValue = new Map<unknown, FastValidator>();
  for (const [value, option] of owners) if (option !== null) byValue.set(value, fastValidator(option));
  const exact = viaParser(node);
  return (v) => {
    if (!isObject(v)) return false;
    const check = byValue.get(v[discriminator!]);
    return check === undefined ? exact(v) : check(v);
  };
}
