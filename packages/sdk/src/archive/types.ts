/**
 * The types of the archive upgrade: what it takes, and which versions it may
 * go to from a given one.
 * @module
 */
import type { API_VERSION_NAMES, ApiVersion } from "@resonantgenesis/schemas/meta";
import type { Archive } from "../resources/data.js";

/** An archive of any API version this SDK knows (the document of `client.data.exportAll()`). */
export type AnyArchive = { [V in ApiVersion]: Archive<V> }[ApiVersion];

type FromOnward<Names extends readonly unknown[], V> = Names extends readonly [infer Head, ...infer Rest]
  ? Head extends V
    ? Names[number]
    : FromOnward<Rest, V>
  : never;

/**
 * The versions an object of version `V` may be upgraded to: `V` and every
 * newer one (`UpgradeTarget<"1.1">` is `"1.1" | "1.2"`). For a union, the
 * oldest member decides, and the run-time check refuses the rest.
 */
export type UpgradeTarget<V extends ApiVersion> = Extract<FromOnward<typeof API_VERSION_NAMES, V>, ApiVersion>;
