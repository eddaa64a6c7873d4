// The CLI's reading of the kinds table (KIND_TABLE in @resonantgenesis/schemas/meta):
// which kinds an archive of each version holds, their record names both ways, and
// the import order. The SDK's and the mock's are checked in packages/sdk/test/contract.
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
import { pluralOf, singularOf } from "../src/archive/format.js";

describe("the CLI agrees with the kinds table", () => {
  test.each(API_VERSION_NAMES)("an archive of API %s holds the kinds the table gives it, in its order", (version) => {
    expect(kindsOf(version)).toEqual(KINDS.filter((kind) => versionAtLeast(version, KIND_TABLE[kind].since)));
  });

  test.each(KINDS)("%s: its NDJSON record name, both ways", (kind) => {
    expect(singularOf(kind)).toBe(RECORD_KIND[kind]);
    expect(pluralOf(RECORD_KIND[kind])).toBe(kind);
  });

  test("imports go in the table's dependency order, a newer server's kinds last", () => {
    expect(importOrder(["webhooks", "workflows", ...[...KINDS].reverse()])).toEqual([...KINDS, "workflows"]);
  });
});
