/**
 * `resonant export` writes each record's text as the server sent it rather
 * than serialising it again, but only when the line is exactly
 * `{"kind":...,"data":...}`. A server that spaces its lines or adds a field
 * to them (docs/protocol.md section 8 allows new fields) must still give an
 * archive that holds the same objects and verifies. Run as a real process.
 */
import { readFile } from "node:fs/promises";
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer, type MockServer } from "@resonantgenesis/mock/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, tempDir } from "./helpers.js";

const SEED = { tools: 2, agents: 5, teams: 1, sessions: 3, memories: 4, triggers: 2, webhooks: 2 };

let plain: MockServer;
let odd: MockServer;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  const api = createMockApi({ seed: SEED });
  plain = await startMockServer({ api });
  const oddApi = Object.create(api) as typeof api;
  // The same account, its NDJSON lines re-spaced and carrying a field this CLI does not know.
  oddApi.fetch = async (request: Request) => {
    const response = await api.fetch(request);
    if (!(response.headers.get("content-type") ?? "").includes("ndjson")) return response;
    const lines = (await response.text()).split("\n").filter(Boolean);
    const body = `${lines.map((line, i) => JSON.stringify({ ...(JSON.parse(line) as object), line_no: i }, null, i % 2 ? 1 : 0).replace(/\n/g, "")).join("\n")}\n`;
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    return new Response(body, { status: response.status, headers });
  };
  odd = await startMockServer({ api: oddApi });
  tmp = await tempDir();
});
afterAll(async () => {
  await plain.close();
  await odd.close();
  await tmp.remove();
});

const objects = (archive: Record<string, unknown>) =>
  Object.fromEntries(Object.keys(SEED).map((kind) => [kind, archive[kind]]));

describe("export from lines of another shape", () => {
  it("holds the same objects as from the protocol's lines, and verifies", async () => {
    for (const format of ["json", "ndjson"]) {
      const fromPlain = tmp.path(`plain.${format}`);
      const fromOdd = tmp.path(`odd.${format}`);
      expect(
        (await cliFor(plain, DEMO_API_KEY, tmp.dir)(["export", "--out", fromPlain, "--format", format])).code,
      ).toBe(0);
      const run = await cliFor(odd, DEMO_API_KEY, tmp.dir)(["export", "--out", fromOdd, "--format", format]);
      expect(run.code, run.stderr).toBe(0);
      const read = async (file: string) => {
        const text = await readFile(file, "utf8");
        if (format === "json") return objects(JSON.parse(text) as Record<string, unknown>);
        const byKind: Record<string, unknown[]> = Object.fromEntries(Object.keys(SEED).map((k) => [k, []]));
        for (const line of text.split("\n").filter(Boolean)) {
          const record = JSON.parse(line) as { kind: string; data?: unknown };
          if (record.kind !== "end")
            byKind[record.kind === "memory" ? "memories" : `${record.kind}s`]!.push(record.data);
        }
        return byKind;
      };
      expect(await read(fromOdd)).toEqual(await read(fromPlain));
      const verify = await cliFor(plain, DEMO_API_KEY, tmp.dir)(["verify", fromOdd]);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    }
  });
});
