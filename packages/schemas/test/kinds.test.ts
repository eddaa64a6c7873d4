import { expect, test } from "vitest";
import { KINDS, kindOfRecord, RECORD_KIND } from "../src/meta.js";

test("kindOfRecord is RECORD_KIND backwards, and names no kind for any other record kind", () => {
  for (const kind of KINDS) expect(kindOfRecord(RECORD_KIND[kind])).toBe(kind);
  expect(kindOfRecord("memory")).toBe("memories");
  // A newer server's kind, the end line, a plural, and a member of Object.prototype are none of ours.
  for (const other of ["policy", "end", "agents", "constructor", "toString", ""])
    expect(kindOfRecord(other)).toBeUndefined();
});
