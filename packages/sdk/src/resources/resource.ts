import type { ApiVersion } from "@resonantgenesis/schemas";
import type * as z from "zod/mini";
import type { Caller, Schemas } from "../core/caller.js";

/** The base of every resource: holds the client's caller. */
export abstract class APIResource<V extends ApiVersion> {
  /** @internal */
  protected readonly caller: Caller<V>;

  /** @param caller - The client's caller. */
  constructor(caller: Caller<V>) {
    this.caller = caller;
  }
}

/** The output type of schema `K` in version `V`'s module. */
export type Out<V extends ApiVersion, K extends keyof Schemas<V>> = Schemas<V>[K] extends z.ZodMiniType
  ? z.output<Schemas<V>[K]>
  : never;

/** The input type of schema `K` in version `V`'s module (what a caller may pass). */
export type In<V extends ApiVersion, K extends keyof Schemas<V>> = Schemas<V>[K] extends z.ZodMiniType
  ? z.input<Schemas<V>[K]>
  : never;
