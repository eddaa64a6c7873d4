/**
 * Turns zod schemas into plain predicates, as TypeScript source: the code
 * half of scripts/gen-checks.ts. Each node becomes an inline expression (a
 * type test, a literal comparison) or a function (objects, arrays, records,
 * unions, checked leaves), and identical functions and constants are emitted
 * once, so a schema used in many places is one function.
 *
 * It mirrors zod 4.6's parse node by node (see src/checks/runtime.ts and strings.ts for the
 * shared pieces) and knows only the nodes and checks the schemas use: any
 * other node, check or refinement throws with the schema path, so nothing is
 * ever emitted more lenient than zod.
 * @module
 */
import * as z from "zod/mini";

type Node = z.ZodMiniType;
type AnyDef = Record<string, unknown> & { type: string };
type CheckDef = Record<string, unknown> & { check: string };

// Shared helpers that generated code may call: of src/checks/strings.ts (STRING_HELPERS), else of src/checks/runtime.ts.
type Helper = "codePoints" | "isObject" | "isRecord" | "urlParses" | "urlMatches";
/** The helpers of src/checks/strings.ts, which only request checks need: kept out of the answers' runtime.ts. */
export const STRING_HELPERS: ReadonlySet<string> = new Set<Helper>(["codePoints", "urlParses", "urlMatches"]);

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
// zod's own defaults, compared by identity: a check with another `when` is not understood.
const LENGTH_WHEN = z.minLength(1)._zod.def.when;
// zod's `regexes.httpProtocol`, whose presence turns on `parseURLObject`'s `://` guard.
const HTTP_PROTOCOL_SOURCE = "^https?$";

const defOf = (node: Node): AnyDef => node._zod.def as unknown as AnyDef;
const checksOf = (node: Node): CheckDef[] => {
  const own = ((defOf(node).checks as Node[] | undefined) ?? []).map((c) => c._zod.def as unknown as CheckDef);
  return node._zod.traits.has("$ZodCheck") ? [node._zod.def as unknown as CheckDef, ...own] : own;
};

/** A JavaScript literal for a value zod compares with `Set.has` (so never NaN). */
function literal(value: unknown, path: string): string {
  if (value === undefined) return "undefined";
  if (value === null || typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw new Error(`gen-checks: ${path}: literal ${String(value)} is not supported`);
}

/** A property read: `v.name`, or `v["odd-key"]`. */
const prop = (object: string, key: string) =>
  IDENTIFIER.test(key) ? `${object}.${key}` : `${object}[${JSON.stringify(key)}]`;

/** Collects the declarations of one generated file. */
export class Emitter {
  readonly helpers = new Set<Helper>();
  readonly rulesUsed = new Set<string>();
  readonly #declarations: string[] = [];
  readonly #byText = new Map<string, string>();
  readonly #byNode = new Map<Node, string>();
  readonly #building = new Set<Node>();
  #count = { c: 0, R: 0, K: 0, S: 0 };

  /** @param rules the refinement predicates of src/rules.ts, by function identity. */
  constructor(private readonly rules: ReadonlyMap<unknown, string>) {}

  /** The declarations so far, in dependency order. */
  get declarations(): readonly string[] {
    return this.#declarations;
  }

  /** The name of a function that checks `node`; `path` names it in errors. */
  checker(node: Node, path: string): string {
    const known = this.#byNode.get(node);
    if (known !== undefined) return known;
    if (this.#building.has(node)) throw new Error(`gen-checks: ${path}: recursive schemas are not supported`);
    this.#building.add(node);
    const body = this.#body(node, path);
    this.#building.delete(node);
    const name = this.#declare("c", (id) => `function ${id}(v: unknown): boolean {\n${body}\n}`, body);
    this.#byNode.set(node, name);
    return name;
  }

  /** A boolean expression that checks the value of expression `x` against `node`. */
  expr(node: Node, x: string, path: string): string {
    const def = defOf(node);
    if (def.coerce) throw new Error(`gen-checks: ${path}: coercion is not supported`);
    const checks = checksOf(node);
    // z.int() alone: Number.isSafeInteger is zod's number parse and safeint check in one.
    if (
      def.type === "number" &&
      checks.length === 1 &&
      checks[0]!.check === "number_format" &&
      checks[0]!.format === "safeint"
    )
      return `Number.isSafeInteger(${x})`;
    if (checks.length > 0) return `${this.checker(node, path)}(${x})`;
    switch (def.type) {
      case "string":
        return `typeof ${x} === "string"`;
      case "number":
        // Number.isFinite is false for anything but a finite number, as zod's number parse.
        return `Number.isFinite(${x})`;
      case "boolean":
        return `typeof ${x} === "boolean"`;
      case "null":
        return `${x} === null`;
      case "unknown":
      case "any":
        return "true";
      case "literal":
        return this.#oneOf(def.values as unknown[], x, path);
      case "enum":
        return this.#oneOf([...(node._zod.values as Set<unknown>)], x, path);
      case "optional":
        return this.#optional(node, x, path);
      case "nullable":
        return this.#or(`${x} === null`, this.expr(def.innerType as Node, x, `${path}?`));
      case "union":
        if (def.discriminator !== undefined) return `${this.checker(node, path)}(${x})`;
        return `(${(def.options as Node[]).map((o, i) => this.expr(o, x, `${path}|${i}`)).join(" || ")})`;
      case "object":
      case "array":
      case "record":
        return `${this.checker(node, path)}(${x})`;
      default:
        throw new Error(`gen-checks: ${path}: a ${def.type} node is not supported`);
    }
  }

  #optional(node: Node, x: string, path: string): string {
    const inner = defOf(node).innerType as Node;
    if (node._zod.traits.has("$ZodExactOptional") || inner._zod.optin === "defaulted")
      throw new Error(`gen-checks: ${path}: an exact or defaulted optional is not supported`);
    return this.#or(`${x} === undefined`, this.expr(inner, x, `${path}?`));
  }

  #or(left: string, right: string): string {
    if (right === "true") return "true";
    // An optional of an optional (a partial's optional field) would test the same thing twice.
    return right.startsWith(`(${left} || `) ? right : `(${left} || ${right})`;
  }

  #oneOf(values: unknown[], x: string, path: string): string {
    const literals = values.map((v) => literal(v, path));
    if (literals.length === 0) return "false";
    if (literals.length <= 4) return `(${literals.map((l) => `${x} === ${l}`).join(" || ")})`;
    return `${this.#list(literals)}.includes(${x})`;
  }

  /** A constant list (enum values), declared once. */
  #list(literals: string[]): string {
    const text = `[${literals.join(", ")}]`;
    return this.#declare("K", (id) => `const ${id}: readonly unknown[] = ${text};`, `K${text}`);
  }

  /** A constant set (a strict object's keys, looked up once per key of every value), declared once. */
  #set(literals: string[]): string {
    const text = `[${literals.join(", ")}]`;
    return this.#declare(
      "S",
      (id) => `const ${id}: ReadonlySet<unknown> = /* @__PURE__ */ new Set(${text});`,
      `S${text}`,
    );
  }

  /** A constant regular expression, declared once (a literal in a function would be a new object per call). */
  #regex(pattern: RegExp, path: string): string {
    if (pattern.global || pattern.sticky)
      throw new Error(`gen-checks: ${path}: a global or sticky pattern is not supported`);
    const text = `/${pattern.source}/${pattern.flags}`;
    return this.#declare("R", (id) => `const ${id} = ${text};`, `R${text}`);
  }

  #declare(prefix: "c" | "R" | "K" | "S", make: (id: string) => string, key: string): string {
    const known = this.#byText.get(key);
    if (known !== undefined) return known;
    const id = `${prefix}${this.#count[prefix]++}`;
    this.#declarations.push(make(id));
    this.#byText.set(key, id);
    return id;
  }

  #body(node: Node, path: string): string {
    const def = defOf(node);
    switch (def.type) {
      case "string":
      case "number": {
        const checks = this.#checks(node, def.type, path);
        if (checks.length === 0) return `return ${this.expr(node, "v", path)};`;
        const refuse = def.type === "string" ? `typeof v !== "string"` : `typeof v !== "number" || !Number.isFinite(v)`;
        return this.#guarded(refuse, checks);
      }
      case "object":
        return this.#object(node, path);
      case "array":
        return this.#array(node, path);
      case "record":
        return this.#record(node, path);
      case "union":
        return this.#union(node, path);
      default:
        if (checksOf(node).length > 0)
          throw new Error(`gen-checks: ${path}: checks on a ${def.type} node are not supported`);
        return `return ${this.expr(node, "v", path)};`;
    }
  }

  #guarded(refuse: string, conditions: string[], statements: string[] = []): string {
    return [`if (${refuse}) return false;`, ...statements, `return ${conditions.join(" && ") || "true"};`].join("\n");
  }

  /** The node's checks, in zod's order, on `v` already of the node's type. */
  #checks(node: Node, kind: "string" | "number" | "array" | "object", path: string): string[] {
    const out: string[] = [];
    const checks = checksOf(node);
    checks.forEach((check, i) => {
      const at = `${path} (check ${check.check}${check.format ? `:${check.format}` : ""})`;
      if ("when" in check && check.when !== undefined && check.when !== LENGTH_WHEN)
        throw new Error(`gen-checks: ${at}: a check with its own \`when\` is not supported`);
      const condition = this.#check(check, kind, at);
      // zod's url check hands later checks the trimmed value: none may follow it.
      if (check.format === "url" && i < checks.length - 1)
        throw new Error(`gen-checks: ${at}: checks after a url format are not supported`);
      if (condition !== "true") out.push(condition);
    });
    return out;
  }

  #check(check: CheckDef, kind: string, at: string): string {
    const unsupported = () => new Error(`gen-checks: ${at}: not supported on a ${kind}`);
    switch (check.check) {
      case "min_length": {
        const min = check.minimum as number;
        if (kind === "array") return `v.length >= ${min}`;
        if (kind !== "string") throw unsupported();
        // zod counts code points: a code point is one or two UTF-16 units.
        return min <= 1
          ? `v.length >= ${min}`
          : `(v.length >= ${2 * min} || (v.length >= ${min} && ${this.#use("codePoints")}(v) >= ${min}))`;
      }
      case "max_length": {
        const max = check.maximum as number;
        if (kind === "array") return `v.length <= ${max}`;
        if (kind !== "string") throw unsupported();
        return `(v.length <= ${max} || ${this.#use("codePoints")}(v) <= ${max})`;
      }
      case "length_equals": {
        const length = check.length as number;
        if (kind === "array") return `v.length === ${length}`;
        if (kind !== "string") throw unsupported();
        return `${this.#use("codePoints")}(v) === ${length}`;
      }
      case "greater_than":
      case "less_than": {
        if (kind !== "number" || typeof check.value !== "number") throw unsupported();
        const op = check.check === "greater_than" ? ">" : "<";
        return `v ${op}${check.inclusive ? "=" : ""} ${literal(check.value, at)}`;
      }
      case "number_format":
        // z.int(): an integer within the safe range (zod's safeint bounds are the same).
        if (kind !== "number" || check.format !== "safeint") throw unsupported();
        return "Number.isSafeInteger(v)";
      case "string_format":
        if (kind !== "string") throw unsupported();
        return this.#format(check, at);
      case "custom": {
        const rule = this.rules.get(check.fn);
        if (rule === undefined) throw new Error(`gen-checks: ${at}: a refinement not exported by src/rules.ts`);
        if (kind !== "object") throw unsupported();
        this.rulesUsed.add(rule);
        return `${rule}(v as never)`;
      }
      default:
        throw unsupported();
    }
  }

  #format(check: CheckDef, at: string): string {
    switch (check.format) {
      case "guid":
      case "uuid":
      case "datetime":
      case "regex":
        return `${this.#regex(check.pattern as RegExp, at)}.test(v)`;
      case "starts_with":
        return `v.startsWith(${JSON.stringify(check.prefix)})`;
      case "url": {
        if (!("normalize" in check) && !("hostname" in check) && !("protocol" in check))
          return `${this.#use("urlParses")}(v)`;
        const hostname = check.hostname as RegExp | undefined;
        const protocol = check.protocol as RegExp | undefined;
        const guard = !check.normalize && protocol?.source === HTTP_PROTOCOL_SOURCE;
        const host = hostname ? this.#regex(hostname, at) : "undefined";
        const scheme = protocol ? this.#regex(protocol, at) : "undefined";
        return `${this.#use("urlMatches")}(v, ${host}, ${scheme}, ${guard})`;
      }
      default:
        throw new Error(`gen-checks: ${at}: string format ${String(check.format)} is not supported`);
    }
  }

  #use(helper: Helper): Helper {
    this.helpers.add(helper);
    return helper;
  }

  #object(node: Node, path: string): string {
    const def = defOf(node);
    const shape = def.shape as Record<string, Node>;
    if (Object.getOwnPropertySymbols(shape).length > 0)
      throw new Error(`gen-checks: ${path}: symbol keys are not supported`);
    const keys = Object.keys(shape);
    if (keys.includes("__proto__")) throw new Error(`gen-checks: ${path}: a __proto__ field is not supported`);
    const conditions = keys.map((key) => this.#field(shape[key]!, key, `${path}.${key}`)).filter((c) => c !== "true");
    const statements: string[] = [];
    const catchall = def.catchall as Node | undefined;
    const rest = catchall === undefined ? undefined : defOf(catchall);
    if (rest?.type === "never") {
      // zod's handleCatchall: every enumerable key, own or inherited, `__proto__` included, must be a field.
      statements.push(`for (const k in v) if (!${this.#set(keys.map((k) => JSON.stringify(k)))}.has(k)) return false;`);
    } else if (
      rest !== undefined &&
      !((rest.type === "unknown" || rest.type === "any") && checksOf(catchall!).length === 0)
    ) {
      throw new Error(`gen-checks: ${path}: a ${rest.type} catchall is not supported`);
    }
    const checks = this.#checks(node, "object", path);
    return this.#guarded(`!${this.#use("isObject")}(v)`, [...conditions, ...checks], statements);
  }

  /** One field, as zod's handlePropertyResult: an absent optional field passes, an absent required one fails. */
  #field(field: Node, key: string, path: string): string {
    const { optin, optout } = field._zod;
    const value = this.expr(field, prop("v", key), path);
    const acceptsUndefined = z.safeParse(field, undefined).success;
    const present = `${JSON.stringify(key)} in v`;
    if (optin === undefined) {
      // Absent reads as undefined, which the field's check already refuses, unless it accepts undefined.
      if (!acceptsUndefined) return value;
      return value === "true" ? present : `${present} && ${value}`;
    }
    if (optin === "optional" && optout === "optional") return acceptsUndefined ? value : `(!(${present}) || ${value})`;
    throw new Error(`gen-checks: ${path}: a field with optin ${optin} and optout ${String(optout)} is not supported`);
  }

  #array(node: Node, path: string): string {
    const element = this.expr(defOf(node).element as Node, "v[i]", `${path}[]`);
    const loop = element === "true" ? [] : [`for (let i = 0; i < v.length; i++) if (!${wrap(element)}) return false;`];
    // The length checks go first: the same answer, and a too-long array is refused before it is walked.
    return [
      `if (!Array.isArray(v)) return false;`,
      ...this.#checks(node, "array", path).map((c) => `if (!${wrap(c)}) return false;`),
      ...loop,
      "return true;",
    ].join("\n");
  }

  /** zod's record parse: a plain object; every own enumerable key but `__proto__` valid, with a valid value. */
  #record(node: Node, path: string): string {
    const def = defOf(node);
    if (def.mode !== undefined) throw new Error(`gen-checks: ${path}: a ${String(def.mode)} record is not supported`);
    const keyNode = def.keyType as Node;
    const keyDef = defOf(keyNode);
    if (keyDef.coerce || checksOf(keyNode).length > 0)
      throw new Error(`gen-checks: ${path}: a checked record key is not supported`);
    let keyCondition = "";
    if (keyDef.type === "enum" && def.partial === true) {
      const values = [...(keyNode._zod.values as Set<unknown>)];
      // A non-string enum value would bring zod's numeric-key retry into play.
      if (!values.every((v) => typeof v === "string"))
        throw new Error(`gen-checks: ${path}: a non-string record key is not supported`);
      keyCondition = `${this.#list(values.map((v) => JSON.stringify(v)))}.includes(k)`;
    } else if (keyDef.type !== "string" || def.partial === true) {
      throw new Error(`gen-checks: ${path}: a record keyed by ${keyDef.type} is not supported`);
    }
    const value = this.expr(def.valueType as Node, "v[k]", `${path}{}`);
    const condition = [keyCondition, value === "true" ? "" : value].filter(Boolean).join(" && ");
    const loop =
      condition === ""
        ? []
        : [`for (const k of Object.keys(v)) if (k !== "__proto__" && !${wrap(condition)}) return false;`];
    return this.#guarded(`!${this.#use("isRecord")}(v)`, this.#checks(node, "object", path), loop);
  }

  /** A discriminated union picks its option by the discriminator, as zod's discriminatorMap; anything else fails. */
  #union(node: Node, path: string): string {
    const def = defOf(node);
    if (checksOf(node).length > 0) throw new Error(`gen-checks: ${path}: checks on a union are not supported`);
    const discriminator = def.discriminator as string | undefined;
    if (discriminator === undefined) return `return ${this.expr(node, "v", path)};`;
    if (def.unionFallback) throw new Error(`gen-checks: ${path}: unionFallback is not supported`);
    const owners = new Map<unknown, Node | null>();
    for (const option of def.options as Node[]) {
      const values = (option._zod as { propValues?: Record<string, Set<unknown>> }).propValues?.[discriminator];
      if (values === undefined || values.size === 0)
        throw new Error(`gen-checks: ${path}: an option without ${discriminator}`);
      for (const value of values) owners.set(value, owners.has(value) ? null : option);
    }
    const cases: string[] = [];
    for (const [value, option] of owners) {
      if (option === null) continue;
      cases.push(`case ${literal(value, path)}: return ${this.checker(option, `${path}<${String(value)}>`)}(v);`);
    }
    return [
      `if (!${this.#use("isObject")}(v)) return false;`,
      `switch (${prop("v", discriminator)}) {`,
      ...cases,
      "default: return false;",
      "}",
    ].join("\n");
  }
}

/** Parenthesised unless a single call. */
function wrap(condition: string): string {
  return /^[\w$.]+\([^()]*\)$/.test(condition) ? condition : `(${condition})`;
}
