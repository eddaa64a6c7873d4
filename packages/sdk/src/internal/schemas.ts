import type { ApiVersion } from "@resonantgenesis/schemas/meta";
import type { Schemas } from "./caller.js";

// Only a failed check loads a version's zod schemas (report.ts), and only the
// version it failed in. The literal specifiers let bundlers see (and split) all three.
const loaders: { [V in ApiVersion]: () => Promise<Schemas<V>> } = {
  "1.0": () => import("@resonantgenesis/schemas/v1.0"),
  "1.1": () => import("@resonantgenesis/schemas/v1.1"),
  "1.2": () => import("@resonantgenesis/schemas/v1.2"),
};
const loading = new Map<ApiVersion, Promise<unknown>>();

/** The zod schema module of one API version, loaded once per process. */
export function loadSchemas<V extends ApiVersion>(version: V): Promise<Schemas<V>> {
  let pending = loading.get(version);
  if (pending === undefined) {
    pending = loaders[version]();
    loading.set(version, pending);
  }
  return pending as Promise<Schemas<V>>;
}
