import { describe, expect, it } from "vitest";
import * as universal from "../../src/index.js";
import * as node from "../../src/index.node.js";
import { upgradeArchive } from "../../src/archive/upgrade-archive.js";
import { upgradeRecord } from "../../src/archive/upgrade-record.js";

describe("the package entries", () => {
  it("export upgradeArchive and upgradeRecord from the universal and the Node entry", () => {
    expect(universal.upgradeArchive).toBe(upgradeArchive);
    expect(universal.upgradeRecord).toBe(upgradeRecord);
    expect(node.upgradeArchive).toBe(upgradeArchive);
    expect(node.upgradeRecord).toBe(upgradeRecord);
  });
});
