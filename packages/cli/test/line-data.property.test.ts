/**
 * `cutLine` finds a record line's data as text whatever else the line holds: members in any order and
 * spacing, `"data"` as a value or a nested key, the data's key spelt `"d\u0061ta"` (the same key to any
 * parser). The cut pieces put together are the line, byte for byte.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cutLine } from "../src/archive/line-data.js";

const space = fc.constantFrom("", " ", "  ", "\t", " \r ");
const value = fc.oneof(
  fc.json({ depthSize: "small" }),
  fc.constantFrom('"data"', '{"data":{"data":1}}', "9007199254740993", "-0.0", '"\\"data\\":"', "[1,{}]"),
);
const otherKey = fc
  .oneof(fc.string({ maxLength: 6 }), fc.constantFrom("kind", "Data", "data ", "dat"))
  .filter((k) => k !== "data")
  .map((k) => JSON.stringify(k));

/** The members of a line: `others` with the data member at `at`. */
const lineMembers = (others: [string, string][], at: number): [string, string][] => {
  const members = [...others];
  members.splice(Math.min(at, members.length), 0, ['"data"', "null"]);
  return members;
};

/** A line: `others` around the data member (at `at`), each member and separator spaced by `gaps`. */
function lineOf(others: [string, string][], data: [string, string] | undefined, at: number, gaps: string[]) {
  const members = [...others];
  if (data) members.splice(Math.min(at, members.length), 0, data);
  let gap = 0;
  const g = () => gaps[gap++ % gaps.length]!;
  return `{${g()}${members.map(([k, v]) => `${k}${g()}:${g()}${v}`).join(`${g()},${g()}`)}${g()}}`;
}

describe("cutLine", () => {
  it('cuts the data\'s text out of any line that has a member spelt "data", and the pieces make the line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(otherKey, value), { maxLength: 4 }),
        value,
        fc.nat(4),
        fc.array(space, { minLength: 1, maxLength: 5 }),
        (others, data, at, gaps) => {
          const line = lineOf(others, ['"data"', data], at, gaps);
          expect(() => JSON.parse(line)).not.toThrow();
          const cut = cutLine(line);
          expect(cut?.text).toBe(data);
          expect(`${cut!.around[0]}${cut!.text}${cut!.around[1]}`).toBe(line);
          // A member named twice is told: the first name the line repeats, as the members come.
          const seen = new Set<string>();
          const names = lineMembers(others, at).map(([k]) => JSON.parse(k) as string);
          expect(cut!.repeated).toBe(names.find((name) => seen.has(name) || !seen.add(name)));
          expect(cut!.extra).toBe(names.find((name) => name !== "kind" && name !== "data"));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("cuts a data member spelt with an escape (the same key to any parser); a line without one answers undefined", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(otherKey, value), { maxLength: 4 }),
        value,
        fc.boolean(),
        (others, data, escaped) => {
          const line = lineOf(others, escaped ? ['"d\\u0061t\\u0061"', data] : undefined, 1, [""]);
          const cut = cutLine(line);
          if (!escaped) expect(cut).toBeUndefined();
          else expect(cut && `${cut.around[0]}${cut.text}${cut.around[1]}`).toBe(line);
          if (escaped) expect(cut?.text).toBe(data);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("tells a data member named twice, however each is spelt; the first is the one cut", () => {
    const cut = cutLine('{"kind":"agent", "data":{"id":"a"}, "d\\u0061ta":{"id":"b"}}');
    expect(cut).toMatchObject({ text: '{"id":"a"}', repeated: "data" });
    expect(cutLine('{"kind":"agent","data":{"id":"a","id":"b"}}')?.repeated).toBeUndefined();
  });
});
