/**
 * The upgrade chain: one step per API version, each naming the fields that
 * version adds to each kind and the default it gets. The defaults are those
 * of the wire protocol (docs/protocol.md, section 5); where it states none,
 * the neutral value is chosen and written down here and in
 * docs/upgrading-archives.md.
 * @module
 */
import type { ApiVersion, Kind } from "@resonantgenesis/schemas/meta";
import { fillDefaults, type FieldDefaults } from "./fill.js";

/** One step of the chain: an object of `from` made into one of `to`, the next version. */
export interface UpgradeStep {
  /** The version the step reads. */
  readonly from: ApiVersion;
  /** The version the step writes: always the one right after `from`. */
  readonly to: ApiVersion;
  /** The fields `to` adds, per kind, with their defaults. */
  readonly adds: Readonly<Partial<Record<Kind, FieldDefaults>>>;
  /**
   * Pure: one object of kind `kind` (plural, as in archives), upgraded by
   * this step. Kinds and fields the step does not name pass through untouched.
   */
  readonly upgrade: (kind: string, record: Record<string, unknown>) => Record<string, unknown>;
}

function step(from: ApiVersion, to: ApiVersion, adds: UpgradeStep["adds"]): UpgradeStep {
  const byKind = adds as Readonly<Record<string, FieldDefaults | undefined>>;
  return {
    from,
    to,
    adds,
    upgrade: (kind, record) => {
      // Own keys only: a kind named "constructor" or "toString" is an unknown kind, not a lookup into Object.prototype.
      const defaults = Object.hasOwn(byKind, kind) ? byKind[kind] : undefined;
      return defaults ? fillDefaults(record, defaults) : record;
    },
  };
}

/** 1.0 -> 1.1: agents gain `tool_ids`. Tools are a new kind, so no old object has to change for them. */
export const UPGRADE_1_0_TO_1_1: UpgradeStep = step("1.0", "1.1", {
  // The protocol gives no default; a 1.0 agent could call no custom tool, so none.
  agents: { tool_ids: () => [] },
});

/** 1.1 -> 1.2: agents gain `version` and `memory_enabled`, sessions `team_id`, webhooks `description` and `filters`. */
export const UPGRADE_1_1_TO_1_2: UpgradeStep = step("1.1", "1.2", {
  agents: {
    // "1 on create": the count of updates before 1.2 is not known, and 1 is where every agent starts.
    version: () => 1,
    // The protocol's default.
    memory_enabled: () => false,
  },
  // A session from before 1.2 was never started for a team, and the protocol lets such a session send null.
  sessions: { team_id: () => null },
  webhooks: {
    // "string or null", no default given: null, no description.
    description: () => null,
    // No default given: no filter, so the webhook hears every event it subscribes to, as it did before 1.2.
    filters: () => ({}),
  },
});

/** Every step, oldest first; step `i` reads `API_VERSION_NAMES[i]`. */
export const UPGRADE_STEPS: readonly UpgradeStep[] = [UPGRADE_1_0_TO_1_1, UPGRADE_1_1_TO_1_2];
