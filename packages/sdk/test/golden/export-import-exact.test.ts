import type { ApiVersion } from "@resonantgenesis/sdk";
import { afterEach, describe, expect, test } from "vitest";
import { clientOf, useFaultyServer } from "../unit/use-faulty-server.js";
import { answer } from "./fixtures.js";

// docs/protocol.md section 8: a client "must keep working, and lose nothing ... an export then import made by an
// older client must carry them over". A number a double cannot hold is what JSON.parse loses: exportAll keeps its
// digits for importAll of the same archive. The loopback server answers texts written here, not through the SDK.
const server = await useFaultyServer();
afterEach(() => {
  server.received.length = 0;
  server.routes.clear();
});

const BIG = "9007199254740993"; // 2^53 + 1: JSON.parse makes it ...992
const HUGE = "123456789012345678901234567890";
const FRACTION = "12345678.123456789"; // 17 significant digits, no run of 16: JSON.parse makes it ...12345679
/** Two agents of `version`: one holding such numbers (in fields a newer server added), one without. */
function agents(version: ApiVersion): [exact: string, plain: string] {
  const agent = answer(`agent-${version}.json`);
  const exact = JSON.stringify({ ...agent, x_n: 1, x_more: { big: 2 } })
    .replace('"x_n":1', `"x_n":${BIG}`)
    .replace('"big":2', `"big":${HUGE}`);
  // The second holds only a fraction with 17 significant digits, which no run of 16 digits gives away.
  const fraction = JSON.stringify({ ...agent, id: `${agent.id.slice(0, -4)}0002`, name: "plain", x_f: 3 });
  return [exact, fraction.replace('"x_f":3', `"x_f":${FRACTION}`)];
}

function answerImports(prefix: string) {
  server.routes.set(`POST ${prefix}/agents/import`, (req, res) => {
    const { agents } = JSON.parse(req.body) as { agents: unknown[] };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ imported: agents.length, skipped: 0, failed: [] }));
  });
}

function serveExport(version: ApiVersion): string {
  const json = { "content-type": "application/json" };
  const [exactAgent, plainAgent] = agents(version);
  if (version === "1.2") {
    const { agents: _, ...header } = answer("archive-1.2.json") as Record<string, unknown>;
    const text = JSON.stringify(header).replace(/}$/, `,"agents":[${exactAgent},${plainAgent}]}`);
    server.routes.set("GET /data/export", (_req, res) => res.writeHead(200, json).end(text));
    answerImports("");
    return plainAgent;
  }
  const page = `{"agents":[${exactAgent},${plainAgent}],"next_cursor":null}`;
  server.routes.set("GET /v1.0/agents/export", (_req, res) => res.writeHead(200, json).end(page));
  server.routes.set("GET /v1.0/sessions/export", (_req, res) =>
    res.writeHead(200, json).end('{"sessions":[],"next_cursor":null}'),
  );
  // 1.0 has no webhook export: it lists them.
  server.routes.set("GET /v1.0/webhooks", (_req, res) =>
    res.writeHead(200, json).end('{"object":"list","data":[],"has_more":false,"next_cursor":null}'),
  );
  answerImports("/v1.0");
  return plainAgent;
}

const sentAgents = () => server.received.find((r) => r.method === "POST" && r.path.endsWith("/agents/import"))!.body;

describe.each(["1.2", "1.0"] as const)("exportAll then importAll on %s", (version) => {
  test("a number beyond a double goes back with its digits, in a field the SDK knows or not", async () => {
    const plainAgent = serveExport(version);
    const client = clientOf(server, { apiVersion: version } as never);
    const archive = await client.data.exportAll();
    // The objects hold what JSON.parse makes of it, as before.
    expect((archive.agents[0] as unknown as { x_n: number }).x_n).toBe(Number(BIG));
    const report = await client.data.importAll(archive);
    expect(report.imported).toEqual({ agents: 2 });
    const body = sentAgents();
    expect(body).toContain(`"x_n":${BIG}`);
    expect(body).toContain(`"big":${HUGE}`);
    expect(body).toContain(`"x_f":${FRACTION}`);
    expect(body).toContain(plainAgent);
  });

  test("a record changed after the export goes as it now is, and the client says its numbers are rounded", async () => {
    serveExport(version);
    const lines: string[] = [];
    const logger = { error() {}, warn: (line: string) => lines.push(line), info() {}, debug() {} };
    const client = clientOf(server, { apiVersion: version, logger, logLevel: "warn" } as never);
    const archive = await client.data.exportAll();
    (archive.agents[0] as { name: string }).name = "renamed";
    await client.data.importAll(archive);
    const body = sentAgents();
    expect(body).toContain('"name":"renamed"');
    expect(body).toContain(`"x_n":${Number(BIG)}`);
    expect(lines).toEqual([
      expect.stringContaining(
        "importAll: 1 agents object(s) held numbers beyond what a JavaScript number holds and were changed after exportAll",
      ),
    ]);
  });
});
