import type { ApiVersion } from "@resonantgenesis/schemas/meta";
import type { Schemas } from "./caller.js";

// Each version's schemas are loaded on first use, not at import: zod's own
// import costs about as much as a whole peer SDK's, and a client that turns
// validation off, or makes only GETs before its first answer, need not wait
// for it. The literal specifiers let bundlers see (and split) all three.
const loaders: { [V in ApiVersion]: () => Promise<Schemas<V>> } = {
  "1.0": () => import("@resonantgenesis/schemas/v1.0"),
  "1.1": () => import("@resonantgenesis/schemas/v1.1"),
  "1.2": () => import("@resonantgenesis/schemas/v1.2"),
};
const loaded = new Map<ApiVersion, Promise<unknown>>();

/** The schema module of one API version, loaded once per process. */
export function loadSchemas<V extends ApiVersion>(version: V): Promise<Schemas<V>> {
  let pending = loaded.get(version);
  if (pending === undefined) {
    pending = loaders[version]();
    loaded.set(version, pending);
  }
  return pending as Promise<Schemas<V>>;
}
