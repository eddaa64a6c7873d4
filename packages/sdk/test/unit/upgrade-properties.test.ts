import fc from "fast-check";
import { v1_0, v1_1, v1_2 } from "@resonantgenesis/schemas";
import { KINDS } from "@resonantgenesis/schemas/meta";
import { describe, expect, it } from "vitest";
import { upgradeArchive } from "../../src/archive/upgrade-archive.js";
import type { AnyArchive } from "../../src/archive/types.js";
import { archive10, archive11, extraFields } from "./upgrade-arbitraries.js";

type Json = Record<string, unknown>;
const NUM_RUNS = 200;

function issuesOf(result: { success: boolean; error?: { issues: unknown[] } }): unknown[] {
  return result.success ? [] : (result.error?.issues ?? ["failed"]);
}

/** The ids of every kind (and of every session's steps), in order. */
function idsOf(archive: Json): Record<string, unknown[]> {
  const ids: Record<string, unknown[]> = {};
  for (const kind of KINDS) {
    const items = (archive[kind] as Json[] | undefined) ?? [];
    ids[kind] = items.map((item) => item.id);
  }
  ids.steps = ((archive.sessions as Json[] | undefined) ?? []).flatMap((s) =>
    (s.steps as Json[]).map((step) => step.id),
  );
  return ids;
}

/** Every field of `before` is in `after` with the very same value: the upgrade only adds. */
function expectOnlyAdded(before: Json, after: Json): void {
  for (const [key, value] of Object.entries(before)) {
    if (key === "api_version") continue;
    if (KINDS.includes(key as never) && Array.isArray(value)) {
      const upgraded = after[key] as Json[];
      expect(upgraded).toHaveLength(value.length);
      value.forEach((item: Json, i) => {
        for (const [field, fieldValue] of Object.entries(item)) expect(upgraded[i]?.[field]).toBe(fieldValue);
      });
    } else {
      expect(after[key]).toBe(value);
    }
  }
}

describe("upgradeArchive, property-based", () => {
  it("every valid 1.0 archive upgrades to a valid 1.2 archive that keeps every id", () => {
    fc.assert(
      fc.property(archive10(), (archive) => {
        // Guards the generator: a sample the 1.0 schema refuses would prove nothing.
        expect(issuesOf(v1_0.Archive.safeParse(archive))).toEqual([]);
        const upgraded = upgradeArchive(archive as AnyArchive, "1.2") as Json;
        expect(issuesOf(v1_2.Archive.safeParse(upgraded))).toEqual([]);
        expect(upgraded.api_version).toBe("1.2");
        expect(idsOf(upgraded)).toEqual({ ...idsOf(archive), tools: [], teams: [], memories: [], triggers: [] });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("every valid 1.1 archive upgrades to a valid 1.2 archive that keeps every id", () => {
    fc.assert(
      fc.property(archive11(), (archive) => {
        expect(issuesOf(v1_1.Archive.safeParse(archive))).toEqual([]);
        const upgraded = upgradeArchive(archive as AnyArchive, "1.2") as Json;
        expect(issuesOf(v1_2.Archive.safeParse(upgraded))).toEqual([]);
        expect(idsOf(upgraded)).toEqual({ ...idsOf(archive), teams: [], memories: [], triggers: [] });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("1.0 -> 1.1 -> 1.2 equals 1.0 -> 1.2, and the 1.1 in between is a valid 1.1 archive", () => {
    fc.assert(
      fc.property(archive10({ extras: true }), (archive) => {
        const via11 = upgradeArchive(archive as AnyArchive, "1.1");
        expect(issuesOf(v1_1.Archive.safeParse(via11))).toEqual([]);
        expect(upgradeArchive(via11, "1.2")).toEqual(upgradeArchive(archive as AnyArchive, "1.2"));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("only adds: every field of the input, unknown ones included, survives with the same value", () => {
    fc.assert(
      fc.property(
        archive10({ extras: true }),
        fc.constantFrom("1.0" as const, "1.1" as const, "1.2" as const),
        (archive, to) => {
          expectOnlyAdded(archive, upgradeArchive(archive as AnyArchive, to) as Json);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it("never overwrites a field the newer version defines when the object already holds it", () => {
    const preset = fc.record({
      tool_ids: fc.array(fc.uuid(), { maxLength: 2 }),
      version: fc.integer({ min: 1, max: 99 }),
      memory_enabled: fc.boolean(),
    });
    fc.assert(
      fc.property(archive10(), preset, extraFields, (archive, fields, extra) => {
        const agents = (archive.agents as Json[]).map((agent) => ({ ...agent, ...fields, ...extra }));
        const upgraded = upgradeArchive({ ...archive, agents } as AnyArchive, "1.2");
        for (const agent of upgraded.agents) expect(agent).toMatchObject({ ...fields, ...extra });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("never mutates its input, and upgrading twice changes nothing more", () => {
    fc.assert(
      fc.property(archive10({ extras: true }), (archive) => {
        const before = structuredClone(archive);
        const once = upgradeArchive(archive as AnyArchive, "1.2");
        expect(archive).toEqual(before);
        expect(upgradeArchive(once, "1.2")).toEqual(once);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
