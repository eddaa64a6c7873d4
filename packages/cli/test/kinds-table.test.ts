// The CLI's reading of the kinds table (KIND_TABLE in @resonantgenesis/schemas/meta):
// which kinds an archive of each version holds, their record names both ways, and
// the import order. The SDK's and the mock's are checked in packages/sdk/test/contract.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  API_VERSION_NAMES,
  importOrder,
  KINDS,
  KIND_TABLE,
  kindsOf,
  RECORD_KIND,
  versionAtLeast,
} from "@resonantgenesis/schemas/meta";
import { archiveKeyOf, recordKindOf, statedNames } from "../src/archive/format.js";

describe("the CLI agrees with the kinds table", () => {
  test.each(API_VERSION_NAMES)("an archive of API %s holds the kinds the table gives it, in its order", (version) => {
    expect(kindsOf(version)).toEqual(KINDS.filter((kind) => versionAtLeast(version, KIND_TABLE[kind].since)));
  });

  test.each(KINDS)("%s: its NDJSON record name, both ways", (kind) => {
    expect(recordKindOf(kind)).toBe(RECORD_KIND[kind]);
    expect(archiveKeyOf(RECORD_KIND[kind])).toBe(kind);
  });

  test("imports go in the table's dependency order, a newer server's kinds last", () => {
    expect(importOrder(["webhooks", "workflows", ...[...KINDS].reverse()])).toEqual([...KINDS, "workflows"]);
  });

  test("a newer server's kind: its record name and archive key are one rule, each the other's inverse", () => {
    const names = [
      "x",
      "xs",
      "s",
      "ss",
      "people",
      "data",
      "policies",
      "analyses",
      "ends",
      "end",
      "memorys",
      "memorie",
      "agentss",
      "agents",
      "",
      "constructor",
      "toString",
      "__proto__",
    ];
    for (const name of names) {
      const record = recordKindOf(name);
      if (record !== undefined) expect(archiveKeyOf(record)).toBe(name);
      const key = archiveKeyOf(name);
      if (key !== undefined) expect(recordKindOf(key)).toBe(name);
    }
    expect(["x", "people", "data", "ends", "memorys", "s"].map(recordKindOf)).toEqual(Array(6).fill(undefined));
    expect(["policies", "analyses", "agentss"].map(recordKindOf)).toEqual(["policie", "analyse", "agents"]);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...names, ...KINDS)), (name) => {
        const record = recordKindOf(name);
        if (record !== undefined) expect(archiveKeyOf(record)).toBe(name);
        const key = archiveKeyOf(name);
        if (key !== undefined) expect(recordKindOf(key)).toBe(name);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("statedNames: a newer kind's key from the end line's counts", () => {
  const seen = (...kinds: [string, number][]) => new Map(kinds);
  test("a kind counted under its rule name keeps it; another takes the free key of its count", () => {
    const counts = { agents: 1, workflows: 2, policies: 3, rules: 2 };
    expect(statedNames(seen(["agent", 1], ["workflow", 2], ["policy", 3]), counts)).toEqual(
      new Map([["policy", "policies"]]),
    );
  });
  test("of keys with the same count, the one that starts most like the record kind, then the first stated", () => {
    const counts = { rules: 2, policies: 2, people: 2 };
    expect(statedNames(seen(["policy", 2], ["person", 2]), counts)).toEqual(
      new Map([
        ["policy", "policies"],
        ["person", "people"],
      ]),
    );
    expect(statedNames(seen(["a", 1], ["b", 1]), { xs: 1, ys: 1 })).toEqual(
      new Map([
        ["a", "xs"],
        ["b", "ys"],
      ]),
    );
  });
  test("no key fits (another count, a known kind, the archive's own members, no counts): the rule stays", () => {
    expect(statedNames(seen(["policy", 2]), { policies: 1, rules: 1 })).toEqual(new Map());
    expect(statedNames(seen(["policy", 2]), { agents: 2, checksum: 2, kind: 2 })).toEqual(new Map());
    expect(statedNames(seen(["policy", 2]), undefined)).toEqual(new Map());
    expect(statedNames(seen(["policy", 2]), [2])).toEqual(new Map());
  });
});
