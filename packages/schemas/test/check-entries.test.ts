/**
 * The two entries the SDK and the CLI check values through: `checks` loads each version's generated checkers once
 * (the module itself, without a promise, once loaded), and `report` names what zod finds wrong, in PARSE_OPTIONS'
 * words, under a prefix, for the readings and for an import body whose items are read compatibly.
 */
import { describe, expect, it } from "vitest";
import { checksOf, loadChecks } from "../src/checks/index.js";
import * as compatible12 from "../src/checks/v1.2/compatible.js";
import * as strict10 from "../src/checks/v1.0/strict.js";
import { v1_0 } from "../src/index.js";
import { issuesOf, toIssues } from "../src/report.js";
import { AGENT_12 as AGENT } from "./samples.js";

describe("checks: the generated checkers by version and reading", () => {
  it("loads the module of the version and reading asked for, and hands it back as it is once loaded", async () => {
    const loaded = await loadChecks("1.2", "compatible");
    expect(loaded.checks).toBe(compatible12.checks);
    expect(checksOf("1.2", "compatible")).toBe(loaded);
    expect((await loadChecks("1.0", "strict")).carried).toBe(strict10.carried);
    expect(loaded.checks.Agent!({ id: 5 })).toBe(false);
  });
});

describe("report: what zod finds wrong", () => {
  it("names each field under the prefix, in PARSE_OPTIONS' words", async () => {
    const body = { name: "", temperature: "hot", colour: "red" };
    expect(await issuesOf("1.0", "AgentCreateParams", "strict", body, "body")).toEqual([
      { path: "body.name", message: "must be at least 1 character" },
      { path: "body.temperature", message: "must be a number, got string" },
      { path: "body", message: "unknown field(s): colour" },
    ]);
    expect(await issuesOf("1.0", "AgentCreateParams", "strict", { name: "a" })).toEqual([]);
  });

  it("reads compatibly: an unknown field passes, a wrong type does not; the root is (root)", async () => {
    expect(await issuesOf("1.2", "Agent", "compatible", { ...AGENT, colour: "red" })).toEqual([]);
    expect(await issuesOf("1.2", "Agent", "compatible", { ...AGENT, name: 5 })).toEqual([
      { path: "name", message: "must be a string, got number" },
    ]);
    expect(await issuesOf("1.2", "Agent", "compatible", null)).toEqual([
      { path: "(root)", message: "must be an object, got null" },
    ]);
  });

  it("reads an import body carried: its envelope strictly, its items compatibly", async () => {
    const body = { agents: [{ ...AGENT, colour: "red" }], on_conflict: "skip" };
    expect(await issuesOf("1.2", "AgentImportRequest", "carried", body, "body")).toEqual([]);
    expect(await issuesOf("1.2", "AgentImportRequest", "carried", { ...body, extra: 1 }, "body")).toEqual([
      { path: "body", message: "unknown field(s): extra" },
    ]);
  });

  it("toIssues builds the message of an issue parsed without the error map", () => {
    const result = v1_0.AgentCreateParams.safeParse({ name: 5, colour: "red" });
    expect(toIssues(result.error!.issues, "body")).toEqual([
      { path: "body.name", message: "must be a string" },
      { path: "body", message: "unknown field(s): colour" },
    ]);
  });
});
