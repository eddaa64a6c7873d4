/**
 * The error-code table against the protocol's own words (docs/protocol.md section 3, "Codes used"), read from the
 * text rather than restated: each group of backquoted codes ends with its status in parentheses.
 */
import { readFileSync } from "node:fs";
import { ERROR_CODE_STATUS, statusOfErrorCode, v1_2 } from "@resonantgenesis/schemas";
import { describe, expect, test } from "vitest";

const PROTOCOL = readFileSync(new URL("../../../docs/protocol.md", import.meta.url), "utf8");

function codesOfTheProtocol(): Record<string, number> {
  const paragraph = /Codes used \(snake_case\):([\s\S]*?)\n\n/.exec(PROTOCOL)?.[1];
  if (paragraph === undefined) throw new Error('docs/protocol.md has no "Codes used" paragraph');
  const table: Record<string, number> = {};
  for (const [, group, status] of paragraph.matchAll(/((?:`[a-z_]+`[,\s]*)+)\((\d{3})/g))
    for (const [, code] of group!.matchAll(/`([a-z_]+)`/g)) table[code!] = Number(status);
  return table;
}

describe("ERROR_CODE_STATUS", () => {
  test("is docs/protocol.md section 3's list of codes and statuses, no more, no less", () => {
    const protocol = codesOfTheProtocol();
    expect(Object.keys(protocol)).toHaveLength(27);
    expect(ERROR_CODE_STATUS).toEqual(protocol);
  });

  test("1.2's ErrorCode enum is its codes; statusOfErrorCode reads it, owning no inherited name", () => {
    expect(v1_2.ErrorCode.options).toEqual(Object.keys(ERROR_CODE_STATUS));
    expect([statusOfErrorCode("name_taken"), statusOfErrorCode("service_unavailable")]).toEqual([409, 503]);
    expect([statusOfErrorCode("quota_exceeded"), statusOfErrorCode("toString")]).toEqual([undefined, undefined]);
  });
});
