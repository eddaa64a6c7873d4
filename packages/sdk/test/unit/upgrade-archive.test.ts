import { describe, expect, expectTypeOf, it } from "vitest";
import { upgradeArchive } from "../../src/archive/upgrade-archive.js";
import { upgradeRecord } from "../../src/archive/upgrade-record.js";
import { RequestValidationError } from "../../src/core/errors.js";
import type { Archive } from "../../src/resources/data.js";
import type { AnyArchive, UpgradeTarget } from "../../src/archive/types.js";
import { AGENT_10 } from "../../../schemas/test/samples.js";
import { thrown } from "./test-helpers.js";

function frozen<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) frozen(inner);
    Object.freeze(value);
  }
  return value;
}

const AGENT = AGENT_10;
const SESSION = {
  id: "5d0c2b1a-0000-4000-8000-000000000001",
  object: "session" as const,
  agent_id: AGENT.id,
  goal: "greet",
  context: null,
  status: "completed" as const,
  result: "hello world",
  steps_completed: 1,
  tokens_used: 12,
  metadata: {},
  created_at: "2026-11-24T10:00:00Z",
  completed_at: "2026-11-24T10:00:05Z",
  steps: [],
};
const WEBHOOK = {
  id: "7a1e0000-0000-4000-8000-000000000002",
  object: "webhook" as const,
  url: "https://example.com/hooks",
  events: ["session.completed" as const],
  active: true,
  created_at: "2026-11-24T10:00:00Z",
  updated_at: "2026-11-24T10:00:00Z",
};

function archive10(): Archive<"1.0"> {
  return frozen({
    format: "resonantgenesis.export",
    format_version: 1,
    api_version: "1.0",
    exported_at: "2026-11-24T10:00:00Z",
    agents: [AGENT],
    sessions: [SESSION],
    webhooks: [WEBHOOK],
  });
}

const validationError = (run: () => unknown) => thrown(run, RequestValidationError);

describe("upgradeArchive", () => {
  it("turns a 1.0 archive into a 1.2 one: new fields at their defaults, new kinds empty", () => {
    const upgraded = upgradeArchive(archive10(), "1.2");
    expect(upgraded).toEqual({
      format: "resonantgenesis.export",
      format_version: 1,
      api_version: "1.2",
      exported_at: "2026-11-24T10:00:00Z",
      agents: [{ ...AGENT, tool_ids: [], version: 1, memory_enabled: false }],
      sessions: [{ ...SESSION, team_id: null }],
      webhooks: [{ ...WEBHOOK, description: null, filters: {} }],
      tools: [],
      teams: [],
      memories: [],
      triggers: [],
    });
    // The input's key order first, then the added kinds in dependency order.
    expect(Object.keys(upgraded)).toEqual([
      "format",
      "format_version",
      "api_version",
      "exported_at",
      "agents",
      "sessions",
      "webhooks",
      "tools",
      "teams",
      "memories",
      "triggers",
    ]);
  });

  it("upgrades each record exactly as upgradeRecord does", () => {
    const upgraded = upgradeArchive(archive10(), "1.1");
    expect(upgraded.api_version).toBe("1.1");
    expect(upgraded.agents).toEqual([upgradeRecord("agents", AGENT, "1.0", "1.1")]);
    expect(upgraded.tools).toEqual([]);
    expect(upgraded).not.toHaveProperty("teams");
  });

  it("keeps top-level unknown keys and unknown kinds verbatim, and their objects untouched", () => {
    const widgets = [{ id: "w1", object: "widget" }];
    const provenance = { tool: "resonant", counts: { agents: 1 } };
    const input = frozen({ ...archive10(), widgets, x_provenance: provenance });
    const upgraded = upgradeArchive(input, "1.2") as Record<string, unknown>;
    expect(upgraded.widgets).toBe(widgets);
    expect(upgraded.x_provenance).toBe(provenance);
  });

  it("keeps a kind that the source version lacks but the archive holds, upgraded, instead of emptying it", () => {
    const tool = { id: "3c3c0000-0000-4000-8000-000000000003", object: "tool", name: "search" };
    const upgraded = upgradeArchive(frozen({ ...archive10(), tools: [tool] }), "1.2");
    expect(upgraded.tools).toEqual([tool]);
  });

  it("passes items of a kind's array that are not objects through, for importAll to report", () => {
    const input = frozen({ ...archive10(), agents: [AGENT, "junk", null] }) as unknown as Archive<"1.0">;
    expect(upgradeArchive(input, "1.2").agents.slice(1)).toEqual(["junk", null]);
  });

  it("never mutates its input (deep-frozen here) and returns a new archive even for the same version", () => {
    const input = archive10();
    const same = upgradeArchive(input, "1.0");
    expect(same).toEqual(input);
    expect(same).not.toBe(input);
  });

  it("refuses a downgrade with a RequestValidationError naming `to`", () => {
    const archive12 = upgradeArchive(archive10(), "1.2");
    const error = validationError(() => upgradeArchive(archive12, "1.0" as never));
    expect(error.issues).toEqual([
      { path: "to", message: "is 1.0, older than 1.2: an archive is upgraded, never downgraded" },
    ]);
  });

  it("lists every envelope problem at once", () => {
    const bad = {
      ...archive10(),
      format: "zip",
      format_version: 2,
      api_version: "0.9",
      sessions: {},
    } as unknown as Archive<"1.0">;
    expect(validationError(() => upgradeArchive(bad, "1.2")).issues.map((issue) => issue.path)).toEqual([
      "archive.format",
      "archive.format_version",
      "archive.api_version",
      "archive.sessions",
    ]);
    expect(validationError(() => upgradeArchive(null as unknown as AnyArchive, "1.2")).issues).toEqual([
      { path: "archive", message: "must be an object, got null" },
    ]);
    expect(validationError(() => upgradeArchive(archive10(), "1.3" as never)).issues[0]?.path).toBe("to");
  });

  it("is typed: Archive<To> out, and no downgrade target in", () => {
    expectTypeOf(upgradeArchive(archive10(), "1.2")).toEqualTypeOf<Archive<"1.2">>();
    expectTypeOf(upgradeArchive(archive10(), "1.1")).toEqualTypeOf<Archive<"1.1">>();
    expectTypeOf<UpgradeTarget<"1.1">>().toEqualTypeOf<"1.1" | "1.2">();
    expectTypeOf<UpgradeTarget<"1.0" | "1.2">>().toEqualTypeOf<"1.0" | "1.1" | "1.2">();
    const archive12 = upgradeArchive(archive10(), "1.2");
    // @ts-expect-error a 1.2 archive cannot go to 1.1
    expect(() => upgradeArchive(archive12, "1.1")).toThrow(RequestValidationError);
  });
  it("keeps a __proto__ member (JSON.parse makes it a plain key) as a member, never as the result's prototype", () => {
    const parsed = JSON.parse(
      '{"format":"resonantgenesis.export","format_version":1,"api_version":"1.0","exported_at":"2026-11-24T10:00:00Z",' +
        '"sessions":[],"__proto__":{"agents":[{"id":"not-an-agent-of-this-archive"}]}}',
    );
    const upgraded = upgradeArchive(parsed, "1.2");
    expect(Object.getPrototypeOf(upgraded)).toBe(Object.prototype);
    expect(upgraded.agents).toBeUndefined(); // the archive has no agents: none are lent by the member
    expect(Object.getOwnPropertyDescriptor(JSON.parse(JSON.stringify(upgraded)), "__proto__")?.value).toEqual({
      agents: [{ id: "not-an-agent-of-this-archive" }],
    });
    expect(Object.keys(upgraded)).toContain("__proto__");
  });
});
