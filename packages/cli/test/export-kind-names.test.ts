/**
 * A newer server's kind whose plural is not its records' kind plus "s": its NDJSON export sends `policy`
 * lines and counts them as `policies` in the end line, but resonant names a kind it does not know by its
 * records' kind plus "s" (`policys`). The export keeps every record and says the names differ, rather than
 * carrying the other name in silence. Real processes against a loopback server.
 */
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { ONE_AGENT } from "./archive-fixtures.js";
import { namesApart } from "../src/core/records.js";
import { events, runCli, tempDir } from "./helpers.js";

const agent = JSON.parse(ONE_AGENT) as Record<string, unknown>;
/** The export's lines, the end line counting the newer kind as `counted`. */
const exportLines = (counted: string) =>
  `${[
    { kind: "agent", data: agent },
    { kind: "policy", data: { id: "p1", object: "policy", rule: "x" } },
    {
      kind: "end",
      counts: { tools: 0, agents: 1, teams: 0, sessions: 0, memories: 0, triggers: 0, webhooks: 0, [counted]: 1 },
    },
  ]
    .map((line) => JSON.stringify(line))
    .join("\n")}\n`;

let counted = "policies";
const server: Server = createServer((request, response) => {
  if (request.url?.startsWith("/api/v1.2/data/export")) {
    response
      .writeHead(200, { "content-type": "application/x-ndjson", "x-api-version": "1.2" })
      .end(exportLines(counted));
    return;
  }
  response.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found","message":"no"}}');
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as { port: number };
const tmp = await tempDir();
afterAll(async () => {
  server.close();
  await tmp.remove();
});

const exportTo = (out: string, format: string) =>
  runCli(["--json", "--base-url", `http://127.0.0.1:${port}/api`, "export", "--format", format, "--out", out], {
    env: { RESONANT_API_KEY: "rg_test_sk_names" },
  });

describe("an export whose end line names a kind otherwise", () => {
  it.each(["json", "ndjson"])("%s: every record kept, and a warning naming both names", async (format) => {
    counted = "policies";
    const out = tmp.path(`names.${format}`);
    const run = await exportTo(out, format);
    expect(run.code, run.stderr).toBe(0);
    const warnings = events(run.stdout)
      .filter((e) => e.event === "warning")
      .map((e) => String(e.message));
    expect(warnings).toEqual([
      'the server counts "policies" where this archive holds "policys": resonant names a kind it does not know by its records\' kind plus "s", so an import would send them to that name\'s /import, not the server\'s',
    ]);
    expect(await readFile(out, "utf8")).toContain('{"id":"p1","object":"policy","rule":"x"}');
  });

  it("no warning when the server counts the kind under the name resonant writes", async () => {
    counted = "policys";
    const run = await exportTo(tmp.path("same.json"), "json");
    expect(run.code, run.stderr).toBe(0);
    expect(events(run.stdout).filter((e) => e.event === "warning")).toEqual([]);
  });
});

describe("namesApart", () => {
  it("names the server's kinds and the archive's that differ, known kinds and empty counts aside", () => {
    const end = { counts: { agents: 1, tools: 0, policies: 2, people: 0 } };
    expect(namesApart(end, ["agents", "policys"])).toMatch(
      /^the server counts "policies" where this archive holds "policys": /,
    );
    expect(namesApart(end, ["agents", "policies"])).toBeUndefined();
    expect(namesApart({ counts: { agents: 1 } }, ["agents", "workflows"])).toMatch(
      /^the server counts no kind where this archive holds "workflows": /,
    );
  });
});
