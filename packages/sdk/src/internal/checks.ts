/**
 * The generated checkers (`@resonantgenesis/schemas/checks/<version>/<reading>`,
 * plain code written at the schemas' build from the zod schemas): what every
 * answer and request body is checked with. Each module loads on first use,
 * with literal specifiers so a bundler splits them, and zod is not among
 * their imports: it loads only when a check fails, to write the report
 * (report.ts).
 * @module
 */
import type { ApiVersion } from "@resonantgenesis/schemas/meta";

/** Answers whether a value passes one reading of one schema, as zod's `safeParse(value).success` would. */
export type Check = (value: unknown) => boolean;

/** One version's checkers of one reading, by schema name; the strict module also has the import bodies' `carried`. */
export interface CheckModule {
  readonly checks: Readonly<Record<string, Check>>;
  readonly carried?: Readonly<Record<string, Check>>;
}

/** How a value is read: see docs/compatibility.md. */
export type Reading = "compatible" | "strict";

const loaders: Record<Reading, Record<ApiVersion, () => Promise<CheckModule>>> = {
  compatible: {
    "1.0": () => import("@resonantgenesis/schemas/checks/v1.0/compatible"),
    "1.1": () => import("@resonantgenesis/schemas/checks/v1.1/compatible"),
    "1.2": () => import("@resonantgenesis/schemas/checks/v1.2/compatible"),
  },
  strict: {
    "1.0": () => import("@resonantgenesis/schemas/checks/v1.0/strict"),
    "1.1": () => import("@resonantgenesis/schemas/checks/v1.1/strict"),
    "1.2": () => import("@resonantgenesis/schemas/checks/v1.2/strict"),
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
