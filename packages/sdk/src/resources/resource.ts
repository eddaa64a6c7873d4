import type { ApiVersion } from "@resonantgenesis/schemas";
import type { Caller } from "../internal/caller.js";

/** The base of every resource: holds the client's caller. */
export abstract class APIResource<V extends ApiVersion> {
  /** @internal */
  protected readonly caller: Caller<V>;

  /**
   * @internal The client makes its resources; the caller is internal, so this
   * constructor is not part of the public surface.
   */
  constructor(caller: Caller<V>) {
    this.caller = caller;
  }
}

export type { In, Out } from "../internal/caller.js";
