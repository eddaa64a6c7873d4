import type { ApiVersion } from "@resonantgenesis/schemas";
import type { Caller } from "../core/caller.js";

/** The base of every resource: holds the client's caller. */
export abstract class APIResource<V extends ApiVersion> {
  /** @internal */
  protected readonly caller: Caller<V>;

  /** @param caller - The client's caller. */
  constructor(caller: Caller<V>) {
    this.caller = caller;
  }
}

export type { In, Out } from "../core/caller.js";
