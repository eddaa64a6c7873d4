/**
 * The one test for "a JSON object": what the error bodies, archives and import bodies are read with.
 * @module
 */

/** True for a plain object (not null, not an array), as a JSON object parses to. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
