/**
 * The one list of error fields. Each error class names its own fields once,
 * in {@link defineError}; from that list the base constructor fills them,
 * `toJSON()` writes them, `error-data.ts` carries them across the SyncClient's
 * thread boundary, and the name registry rebuilds the class on the far side.
 * The types follow the same way: a class's init and `toJSON()` types are
 * computed from its declared fields ({@link ErrorInit}, {@link ErrorJSON}).
 *
 * @packageDocumentation
 */
import { redact, redactDeep, sanitizeHeaders, type HeaderSource } from "./redact.js";

/** One problem found while validating data: where, and what is wrong. */
export interface ValidationIssue {
  /** A dotted path into the value (`agents.3.name`), or `(root)`. */
  path: string;
  /** What is wrong there. */
  message: string;
}

/** How one field is taken from an init and written by `toJSON()`. */
interface FieldCodec {
  /** The stored value from the init's (possibly absent) value; redacts where text can hold a secret. */
  read(value: unknown): unknown;
  /** The JSON form, when the stored value is not plain data. */
  json?(value: unknown): unknown;
}

const kept: FieldCodec = { read: (value) => value };

// Keyed by name because a name means the same in every class (`requestId`,
// `apiVersion`): a new field of an existing name needs no entry here.
const FIELD_CODECS = {
  status: kept,
  code: kept,
  type: kept,
  requestId: kept,
  // Without credentials; toJSON writes a plain object, which `new Headers()` takes back.
  headers: {
    read: (value) => sanitizeHeaders(value as HeaderSource),
    json: (value) => Object.fromEntries(value as Headers),
  },
  // A server or proxy may echo a key back in the body.
  body: { read: redactDeep },
  details: { read: (value) => redactDeep(value ?? {}) },
  retryAfter: kept,
  apiVersion: kept,
  upgradeTo: kept,
  sunsetDate: kept,
  issues: {
    read: (value) =>
      ((value ?? []) as ValidationIssue[]).map((i) => ({ path: redact(i.path), message: redact(i.message) })),
  },
  feature: kept,
  requiredVersion: kept,
  reason: kept,
} satisfies Record<string, FieldCodec>;

/** The name of a field some error class carries. */
export type FieldName = keyof typeof FIELD_CODECS;

/** The data fields of an error type: its properties other than `Error`'s own and `toJSON`. */
export type ErrorFields<E> = { [K in keyof E as K extends keyof Error | "toJSON" ? never : K]: E[K] };

/** What a field takes in an init: what `toJSON()` wrote, or what the SDK builds errors from. */
type FieldInput<K, T> = K extends "headers" ? HeaderSource | undefined : K extends "details" ? T | undefined : T;
type OptionalKeys<F> = { [K in keyof F]-?: undefined extends F[K] ? K : never }[keyof F];

/** Options every error constructor accepts. */
export interface ResonantErrorOptions {
  /** The underlying error, kept as the standard `cause`. */
  cause?: unknown;
  /** The message, used when the constructor's first argument is undefined (so a `toJSON()` rebuilds its error). */
  message?: string | undefined;
}

/** Each field of `E` as an init takes it. */
type FieldInputs<E> = { -readonly [K in keyof ErrorFields<E>]: FieldInput<K, ErrorFields<E>[K]> };

/**
 * What an error of type `E` is built from: its fields, shaped like its
 * `toJSON()` (so `new E(json.message, json)` rebuilds it), plus the `cause`.
 * A field that may be undefined may be left out.
 */
export type ErrorInit<E> = ResonantErrorOptions & {
  [K in keyof FieldInputs<E> as K extends OptionalKeys<FieldInputs<E>> ? never : K]: FieldInputs<E>[K];
} & {
  [K in keyof FieldInputs<E> as K extends OptionalKeys<FieldInputs<E>> ? K : never]?: FieldInputs<E>[K];
};

/** What `toJSON()` of an error of type `E` gives: name, message and every field, as plain data. */
export type ErrorJSON<E> = { name: string; message: string } & {
  [K in keyof ErrorFields<E>]: ErrorFields<E>[K] extends Headers ? Record<string, string> : ErrorFields<E>[K];
};

/** Any error class of the SDK, as the registry holds it. */
export type ErrorClass = new (message: string | undefined, init: never) => Error;

const OWN_FIELDS = new Map<abstract new (...args: never[]) => Error, readonly FieldName[]>();
const ALL_FIELDS = new Map<abstract new (...args: never[]) => Error, readonly FieldName[]>();
const BY_NAME = new Map<string, ErrorClass>();

/**
 * Declare an error class: its name (on the prototype, see below), its own
 * fields (those of its parent come with it), and its entry in the name
 * registry that rebuilds errors after a thread boundary.
 *
 * @param ctor - The class.
 * @param name - Its name, as `err.name` and the registry give it.
 * @param fields - The fields the class declares itself, in `toJSON()` order.
 */
export function defineError<C extends abstract new (...args: never[]) => Error>(
  ctor: C,
  name: string,
  fields: readonly (keyof ErrorFields<InstanceType<C>> & FieldName)[] = [],
): void {
  // The name lives on the prototype rather than in a class field: a field is
  // assigned only after `super()` returns, too late for the stack header, and
  // bundlers that mangle class names would break `constructor.name`.
  Object.defineProperty(ctor.prototype, "name", { value: name, writable: true, configurable: true });
  OWN_FIELDS.set(ctor, fields);
  BY_NAME.set(name, ctor as unknown as ErrorClass);
}

/** Every field of a class, its ancestors' first. */
export function fieldsOf(ctor: abstract new (...args: never[]) => Error): readonly FieldName[] {
  let all = ALL_FIELDS.get(ctor);
  if (all === undefined) {
    const parent = Object.getPrototypeOf(ctor) as abstract new (...args: never[]) => Error;
    all = [...(OWN_FIELDS.has(parent) ? fieldsOf(parent) : []), ...(OWN_FIELDS.get(ctor) ?? [])];
    ALL_FIELDS.set(ctor, all);
  }
  return all;
}

/** The SDK error class of that name, if there is one. */
export function errorClassNamed(name: string): ErrorClass | undefined {
  return BY_NAME.get(name);
}

/** Fill `target`'s fields from an init, as its class declares them. */
export function readFields(target: Error, init: object): void {
  const record = target as unknown as Record<string, unknown>;
  const from = init as Record<string, unknown>;
  for (const name of fieldsOf(target.constructor as abstract new () => Error)) record[name] = FIELD_CODECS[name].read(from[name]);
}

/** The fields of `source` as plain data, in declaration order. */
export function writeFields(source: Error): Record<string, unknown> {
  const record = source as unknown as Record<string, unknown>;
  const json: Record<string, unknown> = {};
  for (const name of fieldsOf(source.constructor as abstract new () => Error)) {
    const codec: FieldCodec = FIELD_CODECS[name];
    json[name] = codec.json ? codec.json(record[name]) : record[name];
  }
  return json;
}
