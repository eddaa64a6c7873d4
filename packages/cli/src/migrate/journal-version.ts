/**
 * A journal planned under an older API version, read by a run on a newer
 * one (a revision applied on 1.0, undone after the account moved to 1.2):
 * its before-images are that version's objects, which the run's version
 * refuses or takes for changed. They are upgraded with the SDK's
 * `upgradeRecord` (the archive upgrade, each field a newer version adds at
 * its default), and a live object is compared with the journal's hashes on
 * the journal version's fields only.
 * @module
 */
import { upgradeRecord } from "@resonantgenesis/sdk";
import { isApiVersion, versionAtLeast, type ApiVersion } from "@resonantgenesis/schemas/meta";
import { CliError } from "../exit.js";
import { isPlainObject } from "../core/own-fields.js";
import { stateHash, type Obj } from "./plan.js";

/** The journal's objects in the run's version. */
export interface VersionBridge {
  /** A before-image of op `seq`, upgraded to the run's version; refused (nothing written) when it cannot be. */
  image(kind: string, seq: number, object: unknown): Obj;
  /** The state hash of a live object as the journal's version would have hashed it. */
  hash(kind: string, object: Record<string, unknown>): string;
}

const SAME: VersionBridge = {
  image: (_kind, _seq, object) => object as Obj,
  hash: (_kind, object) => stateHash(object),
};

/**
 * The bridge from the journal at `path`, planned under `from`, to the run's `to`. A journal of a newer version than
 * the run's is refused: going back would drop fields its objects hold, which the SDK's upgrade never does.
 */
export function versionBridge(path: string, from: string | undefined, to: ApiVersion): VersionBridge {
  // Journals always name their version; one that does not was written under the run's.
  if (from === undefined || from === to) return SAME;
  if (!isApiVersion(from) || !versionAtLeast(to, from))
    throw new CliError(
      `${path} was planned with API ${from}, this run uses ${to}: its before-images are upgraded to a newer version, never taken back to an older one; run down with --api-version ${from}; nothing was written`,
    );
  // The fields `to` adds to a kind since `from`: those of an empty object upgraded (each at its default).
  const added = new Map<string, readonly string[]>();
  const addedTo = (kind: string) => {
    let fields = added.get(kind);
    if (!fields) added.set(kind, (fields = Object.keys(upgradeRecord(kind, {}, from, to))));
    return fields;
  };
  return {
    image(kind, seq, object) {
      if (!isPlainObject(object) || typeof object.id !== "string")
        throw new CliError(
          `${path}: op ${seq} (${kind}): its before-image, written under API ${from}, cannot be upgraded to ${to}: it is not an object with an id; nothing was written`,
        );
      return upgradeRecord(kind, object, from, to) as Obj;
    },
    hash(kind, object) {
      const fields = addedTo(kind);
      if (fields.length === 0) return stateHash(object);
      // fromEntries defines own members: an assignment would make a `__proto__` member the prototype, out of the hash.
      return stateHash(Object.fromEntries(Object.entries(object).filter(([k]) => !fields.includes(k))));
    },
  };
}
