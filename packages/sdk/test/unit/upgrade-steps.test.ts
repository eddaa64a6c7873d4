import { describe, expect, it } from "vitest";
import { UPGRADE_1_0_TO_1_1, UPGRADE_1_1_TO_1_2, UPGRADE_STEPS } from "../../src/archive/steps.js";
import { upgradeRecord } from "../../src/archive/upgrade-record.js";
import { RequestValidationError } from "../../src/core/errors.js";
import { API_VERSION_NAMES } from "@resonantgenesis/schemas/meta";
import { AGENT_10 } from "../../../schemas/test/samples.js";
import { thrown } from "./test-helpers.js";

// Deep-frozen inputs: a step that mutated its input would throw here (ES modules are strict).
function frozen<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) frozen(inner);
    Object.freeze(value);
  }
  return value;
}

const agent10 = () => frozen(structuredClone(AGENT_10) as Record<string, unknown>);
const session = () =>
  frozen({ id: "5d0c0000-0000-4000-8000-000000000001", object: "session", steps: [] } as Record<string, unknown>);
const webhook = () =>
  frozen({ id: "5d0c0000-0000-4000-8000-000000000002", object: "webhook", url: "https://example.com/h" } as Record<
    string,
    unknown
  >);

const validationError = (run: () => unknown) => thrown(run, RequestValidationError);

describe("the step table", () => {
  it("has one step per version, each going to the next", () => {
    expect(UPGRADE_STEPS.map((step) => [step.from, step.to])).toEqual(
      API_VERSION_NAMES.slice(1).map((to, i) => [API_VERSION_NAMES[i], to]),
    );
  });
});

describe("step 1.0 -> 1.1", () => {
  const upgrade = UPGRADE_1_0_TO_1_1.upgrade;

  it("gives agents an empty tool_ids, a fresh array for each", () => {
    const a = upgrade("agents", agent10());
    const b = upgrade("agents", agent10());
    expect(a).toEqual({ ...agent10(), tool_ids: [] });
    expect(a.tool_ids).not.toBe(b.tool_ids);
  });

  it("keeps tool_ids an agent already has", () => {
    const tools = ["11111111-1111-4111-8111-111111111111"];
    expect(upgrade("agents", frozen({ ...agent10(), tool_ids: tools })).tool_ids).toBe(tools);
  });

  it("leaves sessions and webhooks as they are (1.1 adds nothing to them)", () => {
    const s = session();
    const w = webhook();
    expect(upgrade("sessions", s)).toBe(s);
    expect(upgrade("webhooks", w)).toBe(w);
  });
});

describe("step 1.1 -> 1.2", () => {
  const upgrade = UPGRADE_1_1_TO_1_2.upgrade;

  it("gives agents version 1 and memory_enabled false, and nothing else", () => {
    const agent = frozen({ ...agent10(), tool_ids: [] });
    expect(upgrade("agents", agent)).toEqual({ ...agent, version: 1, memory_enabled: false });
  });

  it("never overwrites a field already present, a null or a false included", () => {
    const agent = frozen({ ...agent10(), tool_ids: [], version: 7, memory_enabled: true });
    expect(upgrade("agents", agent)).toBe(agent);
    const hook = frozen({ ...webhook(), description: null, filters: { agent_ids: [] } });
    expect(upgrade("webhooks", hook)).toBe(hook);
    const teamSession = frozen({ ...session(), team_id: "22222222-2222-4222-8222-222222222222" });
    expect(upgrade("sessions", teamSession)).toBe(teamSession);
  });

  it("fills a field that holds undefined (no JSON value) as if missing", () => {
    expect(upgrade("agents", frozen({ ...agent10(), memory_enabled: undefined })).memory_enabled).toBe(false);
  });

  it("gives sessions team_id null", () => {
    expect(upgrade("sessions", session())).toEqual({ ...session(), team_id: null });
  });

  it("gives webhooks description null and an empty filter, a fresh object for each", () => {
    const a = upgrade("webhooks", webhook());
    expect(a).toEqual({ ...webhook(), description: null, filters: {} });
    expect(a.filters).not.toBe(upgrade("webhooks", webhook()).filters);
  });

  it("passes unknown kinds through as the same object, prototype names included", () => {
    for (const kind of ["widgets", "tools", "teams", "constructor", "toString", "__proto__"]) {
      const record = agent10();
      expect(upgrade(kind, record)).toBe(record);
    }
  });
});

describe("upgradeRecord", () => {
  it("chains the steps: a 1.0 agent gains every field of 1.1 and 1.2", () => {
    expect(upgradeRecord("agents", agent10(), "1.0", "1.2")).toEqual({
      ...agent10(),
      tool_ids: [],
      version: 1,
      memory_enabled: false,
    });
  });

  it("runs only the steps between the versions", () => {
    expect(upgradeRecord("agents", agent10(), "1.0", "1.1")).toEqual({ ...agent10(), tool_ids: [] });
    // From 1.1 the 1.0 -> 1.1 step is not run: a (bad) 1.1 agent without tool_ids stays without.
    expect(upgradeRecord("agents", agent10(), "1.1", "1.2")).not.toHaveProperty("tool_ids");
  });

  it("keeps unknown fields verbatim, by reference", () => {
    const extra = { nested: [1, { deep: true }] };
    const upgraded = upgradeRecord("agents", frozen({ ...agent10(), x_new: extra, x_null: null }), "1.0", "1.2");
    expect(upgraded.x_new).toBe(extra);
    expect(upgraded).toHaveProperty("x_null", null);
  });

  it("returns the object itself when from and to are the same", () => {
    const agent = agent10();
    for (const version of API_VERSION_NAMES) expect(upgradeRecord("agents", agent, version, version)).toBe(agent);
  });

  it("refuses a downgrade with a RequestValidationError naming `to`", () => {
    const error = validationError(() => upgradeRecord("agents", agent10(), "1.2", "1.0"));
    expect(error.issues).toEqual([
      { path: "to", message: "is 1.0, older than 1.2: an archive is upgraded, never downgraded" },
    ]);
    // Refused whatever the kind: a downgrade is wrong even where nothing would change.
    validationError(() => upgradeRecord("widgets", {}, "1.1", "1.0"));
  });

  it("refuses versions it does not know, listing both", () => {
    const error = validationError(() => upgradeRecord("agents", agent10(), "0.9" as never, "2.0" as never));
    expect(error.issues.map((issue) => issue.path)).toEqual(["from", "to"]);
    expect(error.issues[1]?.message).toContain("not an API version this SDK knows (1.0, 1.1, 1.2)");
  });
});
