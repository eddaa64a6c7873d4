/**
 * ResonantClient outside Node: it sends through ky over `fetch`, loaded with
 * it (a first call must not wait for another chunk). The wiring is a pure
 * call on ResonantClient itself, so an app that uses only ResonantCore
 * leaves it, and ky, out of its bundle.
 * @module
 */
import type { ApiVersion } from "@resonantgenesis/schemas/meta";
import { ResonantClientBase as Base, ResonantClient as Client, type ResonantClient as ClientOf } from "./client.js";
import { fetchAttempt } from "./internal/fetch-attempt.js";
import { sendingWith } from "./internal/platform.js";

/** A client pinned to version `V`: the resources and fields of exactly that version. */
export type ResonantClient<V extends ApiVersion = "1.2"> = ClientOf<V>;

/**
 * The async client of the ResonantGenesis API.
 *
 * @example
 * ```ts
 * const client = new ResonantClient({ apiKey: process.env.RESONANT_API_KEY });
 * const agent = await client.agents.create({ name: "triage", model: "gpt-4-turbo" });
 * const legacy = new ResonantClient({ apiVersion: "1.0" }); // legacy.teams does not compile
 * ```
 */
export const ResonantClient = /* @__PURE__ */ sendingWith(fetchAttempt, Client);

/** The class of every {@link ResonantClient}, whatever its version (for `instanceof`); wires ky like it. */
export const ResonantClientBase = /* @__PURE__ */ sendingWith(fetchAttempt, Base);
/** The class of every {@link ResonantClient}, whatever its version. */
export type ResonantClientBase<V extends ApiVersion = "1.2"> = Base<V>;
