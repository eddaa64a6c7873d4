/**
 * A member named `__proto__` is a field like any other in JSON (JSON.parse keeps it as an own member), so the
 * migrate engine's copies, hashes, patches and comparisons carry it: an assignment into a plain object would set
 * the prototype instead, and two states differing only there compared equal (`migrate test` passed a down that
 * did not restore it), a reversal's hash skipped it, and a patch that changed it sent nothing.
 */
import { describe, expect, it } from "vitest";
import { compareSnapshots, type Snapshot } from "../src/migrate/compare.js";
import { versionBridge } from "../src/migrate/journal-version.js";
import { applyChange, comparable, fieldDiff, patchBetween, type Obj } from "../src/migrate/plan.js";

const agent = (proto: unknown) =>
  JSON.parse(`{"id":"a1","name":"triage","version":3,"__proto__":${JSON.stringify(proto)}}`) as Obj;

describe("a __proto__ member", () => {
  it("is kept by comparable, and compareSnapshots finds two states that differ only there", () => {
    expect(Object.hasOwn(comparable(agent({ tier: "gold" })), "__proto__")).toBe(true);
    const before: Snapshot = { agents: [agent({ tier: "gold" })] };
    const after: Snapshot = { agents: [agent({ tier: "silver" })] };
    expect(compareSnapshots(before, after)).toEqual([
      {
        kind: "agents",
        id: "a1",
        problem: "changed",
        fields: [{ path: "__proto__.tier", before: "gold", after: "silver" }],
      },
    ]);
    expect(compareSnapshots(before, { agents: [agent({ tier: "gold" })] })).toEqual([]);
  });

  it("names a kind like any other in compareSnapshots", () => {
    const kinds = JSON.parse('{"__proto__":[{"id":"x1"}]}') as Snapshot;
    expect(compareSnapshots(kinds, {})).toEqual([{ kind: "__proto__", id: "x1", problem: "missing", fields: [] }]);
  });

  it("is read as an own member only: absent on one side, it is a change from null", () => {
    const plain = JSON.parse('{"id":"a1","name":"triage"}') as Obj;
    expect(fieldDiff(plain, agent("x"))).toEqual([{ path: "__proto__", before: null, after: "x" }]);
  });

  it("counts in the hash of a journal of an older version", () => {
    const bridge = versionBridge("j.ndjson", "1.1", "1.2");
    expect(bridge.hash("agents", agent(1))).not.toBe(bridge.hash("agents", agent(2)));
  });

  it("is patched as a field when a change sets it", () => {
    const before = agent(1);
    const after = applyChange(before, JSON.parse('{"__proto__": 2}') as Record<string, unknown>);
    expect(Object.hasOwn(after, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(after)).toBe(Object.prototype);
    const patch = patchBetween(before, after);
    expect(Object.keys(patch)).toEqual(["__proto__"]);
    expect(JSON.stringify(patch)).toBe('{"__proto__":2}');
  });
});
