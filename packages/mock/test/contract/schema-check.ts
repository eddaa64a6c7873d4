// Strict schema checks of the contract tests: parse with the version's zod
// schema, then fail on any key the schema does not name (zod strips them).
import { expect, inject } from "vitest";
import { schemas } from "@resonantgenesis/schemas";

type Version = "1.0" | "1.1" | "1.2";
const version: Version = inject("apiVersion");

export interface ZodLike {
  parse(value: unknown): unknown;
  safeParse(value: unknown): { success: boolean };
  _zod: { def: Record<string, unknown> & { type: string } };
}

/** The schema called `name` in the module of `ver` (default: the version under test). */
export function schemaOf(name: string, ver: Version = version): ZodLike {
  const schema = (schemas[ver] as unknown as Record<string, ZodLike | undefined>)[name];
  if (!schema) throw new Error(`API ${ver} has no schema ${name}`);
  return schema;
}

/**
 * Zod objects strip unknown keys, so after `parse` this walks the schema and
 * the value together and fails on any key the schema does not name (a 1.0
 * answer leaking a 1.2 field, a secret where none belongs) or any required key
 * that is missing.
 */
export function strictKeys(schema: ZodLike, value: unknown, path = "$"): void {
  const def = schema._zod.def;
  switch (def.type) {
    case "object": {
      const shape = def.shape as Record<string, ZodLike>;
      const catchall = def.catchall as ZodLike | undefined;
      expect(value, `${path} is an object`).toBeTypeOf("object");
      const obj = value as Record<string, unknown>;
      if (!catchall || catchall._zod.def.type === "never") {
        const extra = Object.keys(obj).filter((k) => !(k in shape));
        expect(extra, `${path} has no keys besides the schema's`).toEqual([]);
      }
      for (const [key, field] of Object.entries(shape)) {
        const optional = (field as unknown as { _zod: { optin?: string } })._zod.optin === "optional";
        if (!(key in obj)) {
          expect(optional, `${path}.${key} is present`).toBe(true);
          continue;
        }
        // every *_at is ISO-8601 in UTC (docs/protocol.md section 5)
        if (key.endsWith("_at") && typeof obj[key] === "string")
          expect(obj[key], `${path}.${key} is UTC`).toMatch(/(Z|[+-]00:?00)$/);
        strictKeys(field, obj[key], `${path}.${key}`);
      }
      return;
    }
    case "array":
      if (Array.isArray(value))
        for (const [i, item] of value.entries()) strictKeys(def.element as ZodLike, item, `${path}[${i}]`);
      return;
    case "optional":
    case "nullable":
    case "default":
    case "readonly":
      if (value !== null && value !== undefined) strictKeys(def.innerType as ZodLike, value, path);
      return;
    case "union": {
      const match = (def.options as ZodLike[]).find((option) => option.safeParse(value).success);
      if (match) strictKeys(match, value, path);
      return;
    }
    case "pipe":
      strictKeys(def.in as ZodLike, value, path);
      return;
    case "record":
      if (value && typeof value === "object")
        for (const [k, item] of Object.entries(value)) strictKeys(def.valueType as ZodLike, item, `${path}.${k}`);
      return;
    default:
      return;
  }
}

/** Parses `value` with the schema `name` of the version (or a schema object) and checks its keys strictly. */
export function expectSchema<T = any>(schema: string | ZodLike, value: unknown, ver: Version = version): T {
  const s = typeof schema === "string" ? schemaOf(schema, ver) : schema;
  const result = s.safeParse(value) as { success: boolean; error?: { issues?: unknown } };
  if (!result.success)
    expect.fail(
      `answer does not parse with ${typeof schema === "string" ? schema : "schema"} (${ver}): ${JSON.stringify(result.error?.issues)}\n${JSON.stringify(value).slice(0, 800)}`,
    );
  strictKeys(s, value);
  return value as T;
}
