/**
 * On API 1.0 and 1.1, `exportAll()` and `exportStream()` build the archive from
 * each kind's export pages, whose size the account sets (up to 10,000 objects
 * a page, sessions with their steps inline), not the SDK: such a page is no
 * "answer read whole" that the 64 MiB cap of other calls is for, as the 1.2
 * archive (one answer) is not.
 */
import { expect, test } from "vitest";
import { ResonantClient } from "@resonantgenesis/sdk";
import { useFaultyServer } from "./use-faulty-server.js";

const server = await useFaultyServer();

const TS = "2026-01-01T00:00:00Z";
// Past 64 MiB in one step's output: a page of sessions larger than the cap of a whole answer.
const OUTPUT_BYTES = 65 * 1024 * 1024;
const emptyPage = (kind: string) => JSON.stringify({ [kind]: [], next_cursor: null });

for (const kind of ["tools", "agents"])
  server.routes.set(`GET /v1.1/${kind}/export`, (_req, res) => void res.end(emptyPage(kind)));
server.routes.set("GET /v1.1/webhooks", (_req, res) =>
  res.end(JSON.stringify({ object: "list", data: [], has_more: false, next_cursor: null })),
);
server.routes.set("GET /v1.1/sessions/export", (_req, res) => {
  // The page is written around the big string, so the test does not hold it twice.
  res.writeHead(200, { "content-type": "application/json" });
  res.write('{"sessions":[{"id":"s1","object":"session","steps":[{"id":"st1","object":"step","output":"');
  res.write(Buffer.alloc(OUTPUT_BYTES, "o"));
  res.end(`","created_at":"${TS}"}]}],"next_cursor":null}`);
});

const client = () =>
  new ResonantClient({
    apiKey: "rg_test_sk_x",
    baseURL: server.baseURL,
    apiVersion: "1.1",
    logLevel: "off",
    validateResponses: false,
  });

test("exportAll on 1.1 takes an export page larger than 64 MiB", async () => {
  const archive = await client().data.exportAll();
  expect(archive.sessions.map((s) => [s.id, s.steps[0]!.output!.length])).toEqual([["s1", OUTPUT_BYTES]]);
}, 60_000);

test("exportStream on 1.1 hands on a record from an export page larger than 64 MiB", async () => {
  const sessions: number[] = [];
  for await (const record of client().data.exportStream())
    if (record.kind === "session") sessions.push(record.data.steps[0]!.output!.length);
  expect(sessions).toEqual([OUTPUT_BYTES]);
}, 60_000);

test("an account's answer is still bounded: a 1.2 archive or export page announced past 512 MiB fails at once, saying so", async () => {
  const huge = String(600 * 1024 * 1024);
  for (const route of ["GET /data/export", "GET /v1.1/agents/export"])
    server.routes.set(route, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": huge });
      res.write("{");
    });
  try {
    for (const apiVersion of ["1.2", "1.1"] as const) {
      const error = await new ResonantClient({
        apiKey: "rg_test_sk_x",
        baseURL: server.baseURL,
        apiVersion,
        logLevel: "off",
      }).data
        .exportAll()
        .catch((e: unknown) => e);
      expect((error as Error).message, apiVersion).toBe(
        `Connection error: the answer's body announced ${huge} bytes past 512 MiB (536870912 bytes), the most the SDK reads of an answer that is not a stream; it stopped reading`,
      );
    }
  } finally {
    server.routes.set("GET /v1.1/agents/export", (_req, res) => void res.end(emptyPage("agents")));
  }
});
