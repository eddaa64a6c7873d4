import type { ApiVersion } from "@resonantgenesis/schemas/meta";
import type * as Readings from "@resonantgenesis/schemas/readings";
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
const loading = new Map<ApiVersion, Promise<unknown>>();
const ready = new Map<ApiVersion, unknown>();
let readings: typeof Readings | undefined;

/**
 * The schema module of one API version, loaded once per process, with the
 * readings module (strict and compatible) that every answer check needs.
 */
export function loadSchemas<V extends ApiVersion>(version: V): Promise<Schemas<V>> {
  let pending = loading.get(version);
  if (pending === undefined) {
    pending = Promise.all([loaders[version](), import("@resonantgenesis/schemas/readings")]).then(([module, read]) => {
      readings = read;
      ready.set(version, module);
      return module;
    });
    loading.set(version, pending);
  }
  return pending as Promise<Schemas<V>>;
}

/**
 * The module if it has loaded already. Every call after the first takes this
 * path, which spares it the promise hops of awaiting a settled load.
 */
export function loadedSchemas<V extends ApiVersion>(version: V): Schemas<V> | undefined {
  return ready.get(version) as Schemas<V> | undefined;
}

/** The readings module; loaded with the first version's schemas (see {@link loadSchemas}). */
export function loadedReadings(): typeof Readings {
  if (readings === undefined) throw new Error("internal: readings used before any schema module loaded");
  return readings;
}
