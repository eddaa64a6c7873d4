/**
 * The generated checkers of every version and reading, loaded on first use: what the SDK checks each answer and
 * request body with, and the CLI each archive record. Plain code written from the zod schemas at this package's
 * build (scripts/gen-checks.ts), so zod is not among their imports: it loads only when a check fails, to say what is
 * wrong (`@resonantgenesis/schemas/report`). The specifiers are literal, so a bundler splits each module apart.
 *
 * ```ts
 * import { loadChecks } from "@resonantgenesis/schemas/checks";
 * const { checks } = await loadChecks("1.2", "compatible");
 * checks.Agent!(json); // true or false, as zod's safeParse(json).success would be
 * ```
 * @module @resonantgenesis/schemas/checks
 */
import type { Reading } from "../readings.js";
import type { ApiVersion } from "../versions.js";
import type { Check } from "./types.js";

export type { Check } from "./types.js";
export type { Reading } from "../readings.js";

/** One version's checkers of one reading, by schema name; the strict module also has the import bodies' `carried`. */
export interface CheckModule {
  /** A checker per schema, by the schema's name (`Agent`, `AgentList`, ...). */
  readonly checks: Readonly<Record<string, Check>>;
  /** The strict module's checkers of an import body whose items are read compatibly, by the body schema's name. */
  readonly carried?: Readonly<Record<string, Check>>;
}

const loaders: Record<Reading, Record<ApiVersion, () => Promise<CheckModule>>> = {
  compatible: {
    "1.0": () => import("./v1.0/compatible.js"),
    "1.1": () => import("./v1.1/compatible.js"),
    "1.2": () => import("./v1.2/compatible.js"),
  },
  strict: {
    "1.0": () => import("./v1.0/strict.js"),
    "1.1": () => import("./v1.1/strict.js"),
    "1.2": () => import("./v1.2/strict.js"),
  },
};
const ready = new Map<string, CheckModule>();
const loading = new Map<string, Promise<CheckModule>>();

/**
 * A version's checkers of one reading: the module itself once loaded, so every
 * call after the first skips the promise hops of awaiting a settled load; else its load.
 */
export function checksOf(version: ApiVersion, how: Reading): CheckModule | Promise<CheckModule> {
  const key = `${how} ${version}`;
  const module = ready.get(key);
  if (module !== undefined) return module;
  let pending = loading.get(key);
  if (pending === undefined) {
    pending = loaders[how][version]().then((loaded) => {
      ready.set(key, loaded);
      return loaded;
    });
    loading.set(key, pending);
  }
  return pending;
}

/** {@link checksOf}, awaited. */
export async function loadChecks(version: ApiVersion, how: Reading): Promise<CheckModule> {
  return checksOf(version, how);
}
