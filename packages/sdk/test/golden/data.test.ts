import { describe, expect, test } from "vitest";
import { answer, answerLines } from "./fixtures.js";
import { MISSING_AGENT, MODES, SESSION, goldenClient } from "./golden-api.js";

// Section 6 (export and import) and section 7's NDJSON export, read by the SDK's public calls.
describe.each(MODES)("section 6 export and import, %s", (mode) => {
  test("agents.export reads an export page to its null cursor", async () => {
    const { client } = goldenClient("1.2", mode);
    const fixture = answer("agent-export-page.json");
    const agents = [];
    for await (const agent of client.agents.export()) agents.push(agent);
    expect(agents).toEqual(fixture.agents);
  });

  test("agents.import reads a 1.0 result whose failed item has a 1.0 error", async () => {
    const { client, requests } = goldenClient("1.0", mode);
    const fixture = answer("import-result-1.0.json");
    const agent = answer("agent-1.0.json");
    const result = await client.agents.import({ agents: [agent], on_conflict: "fail" });
    expect(result).toEqual(fixture);
    expect(result.failed[0]).toEqual({ id: MISSING_AGENT, error: { detail: "An agent with this id already exists" } });
    expect(await requests[0]!.json()).toEqual({ agents: [agent], on_conflict: "fail" });
  });

  test("data.exportAll reads the section 6 archive", async () => {
    const { client } = goldenClient("1.2", mode);
    expect(await client.data.exportAll()).toEqual(answer("archive-1.2.json"));
  });

  test("data.importAll reports a failed item with its 1.2 error object", async () => {
    const { client, requests } = goldenClient("1.2", mode);
    const fixture = answer("import-result-1.2.json");
    const steps = answer("step-list.json").data;
    const archive = { ...answer("archive-1.2.json"), sessions: [{ ...answer("session-1.2.json"), steps }] };
    const report = await client.data.importAll(archive);
    expect(report.imported).toEqual({ sessions: fixture.imported });
    expect(report.skipped).toEqual({ sessions: fixture.skipped });
    expect(report.failed).toEqual([{ kind: "sessions", ...fixture.failed[0] }]);
    expect(report.failed[0]!.id).toBe(SESSION);
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(["POST /api/v1.2/sessions/import"]);
  });

  test("data.exportStream yields every NDJSON record in order, then the end line", async () => {
    const { client, requests } = goldenClient("1.2", mode);
    const lines = answerLines("data-export.ndjson.txt");
    const records = [];
    for await (const record of client.data.exportStream()) records.push(record);
    expect(records).toEqual(lines);
    expect(records.map((r) => r.kind)).toEqual(["tool", "agent", "session", "end"]);
    expect(requests[0]!.headers.get("accept")).toContain("application/x-ndjson");
  });
});
