import { RequestValidationError } from "@resonantgenesis/sdk";
import { afterEach, expect, test } from "vitest";
import { clientOf, useFaultyServer } from "../unit/use-faulty-server.js";
import { answer } from "./fixtures.js";

// docs/protocol.md section 2: "Request bodies are JSON ..., at most 10 MiB; larger: `413`", and section 6: an
// import takes "at most 1,000 items a call". Both bound importAll's batches: a thousand memories whose content
// is 8,000 characters (section 5's limit) of emoji are 32 MB, a valid archive that 1,000-item batches alone
// could not import. The loopback server holds the SDK to both limits, as the contract writes them.
const MAX_BODY = 10 * 1024 * 1024;
const server = await useFaultyServer();
afterEach(() => {
  server.received.length = 0;
});

test("importAll keeps every call within 1,000 items and 10 MiB, and imports the whole archive", async () => {
  server.routes.set("POST /memories/import", (req, res) => {
    const bytes = Buffer.byteLength(req.body);
    if (bytes > MAX_BODY) {
      return void res
        .writeHead(413, { "content-type": "application/json" })
        .end('{"error":{"code":"request_too_large","message":"Over 10 MiB","request_id":"req_413"}}');
    }
    const { memories } = JSON.parse(req.body) as { memories: unknown[] };
    const ok = memories.length <= 1000;
    res
      .writeHead(ok ? 200 : 422, { "content-type": "application/json" })
      .end(JSON.stringify(ok ? { imported: memories.length, skipped: 0, failed: [] } : { error: { code: "x" } }));
  });
  const memory = answer("memory.json");
  const content = "\u{1F600}".repeat(8000); // 8,000 characters, 32,000 bytes of UTF-8
  const memories = Array.from({ length: 1200 }, (_, i) => ({
    ...memory,
    id: `${memory.id.slice(0, -4)}${String(i).padStart(4, "0")}`,
    content,
  }));
  const archive = { ...answer("archive-1.2.json"), memories };
  const progress: number[] = [];
  const report = await clientOf(server).data.importAll(archive, { onProgress: ({ done }) => progress.push(done) });

  const calls = server.received.filter((r) => r.path === "/memories/import");
  for (const call of calls) expect(Buffer.byteLength(call.body)).toBeLessThanOrEqual(MAX_BODY);
  const sentIds = calls.flatMap((call) => (JSON.parse(call.body).memories as { id: string }[]).map((m) => m.id));
  expect(sentIds).toEqual(memories.map((m) => m.id));
  expect(report.imported).toEqual({ memories: 1200 });
  expect(progress.at(-1)).toBe(1200);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
}, 60_000);

test("a record no call can carry (over 10 MiB alone): importAll refuses the archive at its path, nothing sent", async () => {
  // Sent alone, it drew a 413 after the kinds before it had been imported: half an import.
  const agent = answer("agent-1.2.json");
  const huge = { ...agent, system_prompt: "x".repeat(MAX_BODY + 512 * 1024) };
  const archive = { ...answer("archive-1.2.json"), agents: [agent, huge] };
  const error = await clientOf(server)
    .data.importAll(archive)
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RequestValidationError);
  expect((error as RequestValidationError).issues).toEqual([
    { path: "archive.agents.1", message: expect.stringMatching(/^is \d+ bytes of JSON: no import call can carry it/) },
  ]);
  expect(server.received).toEqual([]);
});
