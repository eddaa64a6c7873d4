/**
 * Comparing objects by content: a canonical JSON text (keys sorted at every
 * level, numbers exact) and its digest, so that verify and restore can hold one short
 * digest per object instead of the object.
 * @module
 */
import { createHash } from "node:crypto";
import { JsonNumber } from "@resonantgenesis/sdk";

/**
 * JSON text of `value` with object keys sorted at every level; a
 * `JsonNumber` (a number a double cannot hold, from `parseLossless`) as its
 * source text, so two numbers that differ only beyond 2^53 differ here too.
 */
export function canonicalJson(value: unknown): string {
  if (value instanceof JsonNumber) return value.text;
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(",")}}`;
}

/** A short digest of an object's content (16 bytes of SHA-256, base64). */
export function digestOf(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("base64").slice(0, 22);
}

/** The top-level fields whose values differ between `a` and `b` (either side may lack one). */
export function changedFields(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((key) => canonicalJson(a[key]) !== canonicalJson(b[key])).sort();
}
