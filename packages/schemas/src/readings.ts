/**
 * The two readings of an answer schema (docs/compatibility.md), derived from
 * the one schema as written rather than kept as copies:
 *
 * - **strict**: the version's schema to the letter, and unknown keys refused.
 *   For tests, and for users who want to know the moment the server moves.
 * - **compatible**: what docs/protocol.md section 8 lets a 1.x server change
 *   without a new version cannot fail it. Unknown keys are kept verbatim,
 *   enum values pass as the strings they are, and limits and formats
 *   (lengths, ranges, UUID, URL and date patterns, map sizes) are not
 *   checked; types, required fields and literals (an object's `object`, a
 *   record's `kind`, an archive's `format`) still are.
 *
 * Unknown event types and record kinds are not a schema matter: a
 * discriminated union reads the variants it knows, and the SDK hands any
 * other discriminator to its caller as an "unknown" variant.
 * @module
 */
import * as z from "zod/mini";

/** How an answer is read: see the module comment. */
export type Reading = "compatible" | "strict";

interface Def {
  type: string;
  checks?: z.core.$ZodCheck[];
  shape?: Record<string, z.ZodMiniType>;
  catchall?: z.ZodMiniType;
  element?: z.ZodMiniType;
  innerType?: z.ZodMiniType;
  keyType?: z.ZodMiniType;
  valueType?: z.ZodMiniType;
  options?: z.ZodMiniType[];
  discriminator?: string;
}

const defOf = (schema: z.ZodMiniType): Def => schema._zod.def as unknown as Def;

const caches: Record<Reading | "tolerant", WeakMap<object, z.ZodMiniType>> = {
  compatible: new WeakMap(),
  strict: new WeakMap(),
  tolerant: new WeakMap(),
};

/**
 * The schema read the given way. Built once per schema and reading and kept,
 * so its fast parser (and anything else keyed by the schema) is built once too.
 *
 * @example
 * ```ts
 * const agent = reading(v1_2.Agent, "compatible").parse(json); // unknown fields kept
 * ```
 */
export function reading<S extends z.ZodMiniType>(schema: S, how: Reading): S {
  const cache = caches[how];
  let read = cache.get(schema);
  if (read === undefined) {
    read = how === "strict" ? strictOf(schema) : compatibleOf(schema, true);
    cache.set(schema, read);
  }
  return read as S;
}

/**
 * The compatible reading that drops unknown keys instead of keeping them:
 * what a server of a later 1.x uses to show a stored object as one version
 * has it (the evolved mock), where limits and enum values have moved on.
 */
export function tolerant<S extends z.ZodMiniType>(schema: S): S {
  let read = caches.tolerant.get(schema);
  if (read === undefined) {
    read = compatibleOf(schema, false);
    caches.tolerant.set(schema, read);
  }
  return read as S;
}

/**
 * An import request (`{ "<kind>": [...], on_conflict }`) as the SDK checks it
 * before sending: the envelope strictly, as every request body, and each
 * item compatibly, since an import carries objects as an export gave them and
 * must lose nothing the SDK does not know (a newer server's fields and values).
 */
export function carriedItems<S extends z.ZodMiniType>(envelope: S): S {
  const def = defOf(envelope);
  if (def.type !== "object" || !def.shape) return envelope;
  const shape = Object.fromEntries(
    Object.entries(def.shape).map(([key, field]) => {
      const fieldDef = defOf(field);
      if (fieldDef.type !== "array" || !fieldDef.element) return [key, field];
      return [key, withChecks(z.array(reading(fieldDef.element, "compatible")), fieldDef.checks)];
    }),
  );
  return withChecks(objectLike(shape, def.catchall), def.checks) as unknown as S;
}

function compatibleOf(schema: z.ZodMiniType, keep: boolean): z.ZodMiniType {
  const def = defOf(schema);
  const read = (inner: z.ZodMiniType) => (keep ? reading(inner, "compatible") : tolerant(inner));
  switch (def.type) {
    case "string":
    case "enum":
      // Formats and new enum values: any string will do.
      return z.string();
    case "number":
      return z.number();
    case "object":
      return keep ? z.looseObject(mapShape(def.shape!, read)) : z.object(mapShape(def.shape!, read));
    case "array":
      return z.array(read(def.element!));
    case "optional":
      return z.optional(read(def.innerType!));
    case "nullable":
      return z.nullable(read(def.innerType!));
    case "record":
      // An enum key (the kinds of a count) may meet a kind added later.
      return z.record(z.string(), read(def.valueType!));
    case "union":
      return unionOf(def, read);
    default:
      // Literals, booleans, null, unknown: as written.
      return schema;
  }
}

function strictOf(schema: z.ZodMiniType): z.ZodMiniType {
  const def = defOf(schema);
  const read = (inner: z.ZodMiniType) => reading(inner, "strict");
  switch (def.type) {
    case "object":
      // A schema that says it passes unknown keys on (an event's data) keeps doing so.
      return withChecks(objectLike(mapShape(def.shape!, read), def.catchall, true), def.checks);
    case "array":
      return withChecks(z.array(read(def.element!)), def.checks);
    case "optional":
      return z.optional(read(def.innerType!));
    case "nullable":
      return z.nullable(read(def.innerType!));
    case "record":
      return withChecks(recordLike(schema, read), def.checks);
    case "union":
      return withChecks(unionOf(def, read), def.checks);
    default:
      return schema;
  }
}

function mapShape(
  shape: Record<string, z.ZodMiniType>,
  read: (s: z.ZodMiniType) => z.ZodMiniType,
): Record<string, z.ZodMiniType> {
  const out: Record<string, z.ZodMiniType> = {};
  for (const key of Object.keys(shape)) out[key] = read(shape[key]!);
  return out;
}

function objectLike(
  shape: Record<string, z.ZodMiniType>,
  catchall: z.ZodMiniType | undefined,
  strictWhenStripping = false,
): z.ZodMiniType {
  if (catchall === undefined) return strictWhenStripping ? z.strictObject(shape) : z.object(shape);
  return defOf(catchall).type === "never" ? z.strictObject(shape) : z.looseObject(shape);
}

function recordLike(schema: z.ZodMiniType, read: (s: z.ZodMiniType) => z.ZodMiniType): z.ZodMiniType {
  const def = schema._zod.def as unknown as {
    keyType: z.core.$ZodRecordKey;
    valueType: z.ZodMiniType;
    partial?: boolean;
  };
  const value = read(def.valueType);
  return def.partial ? z.partialRecord(def.keyType, value) : z.record(def.keyType, value);
}

function unionOf(def: Def, read: (s: z.ZodMiniType) => z.ZodMiniType): z.ZodMiniType {
  const options = def.options!.map(read);
  if (def.discriminator === undefined) return z.union(options);
  return z.discriminatedUnion(
    def.discriminator,
    options as unknown as [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]],
  );
}

function withChecks<S extends z.ZodMiniType>(schema: S, checks: z.core.$ZodCheck[] | undefined): S {
  return checks && checks.length > 0 ? (schema.check(...(checks as z.core.$ZodCheck<z.output<S>>[])) as S) : schema;
}

// What a report of a failed reading needs beside it, so a lazily loaded reporter (the SDK's) imports one
// zod-side module; meta keeps exporting them too.
export { issueMessage, PARSE_OPTIONS } from "./issues.js";
