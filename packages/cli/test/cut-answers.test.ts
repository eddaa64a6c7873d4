/**
 * An import whose answer is cut mid-body after the target carried the batch
 * out: the SDK reads the body within the attempt and sends the batch again
 * with its Idempotency-Key, the target replays its answer, and the run tells
 * the truth: exit 0, nothing in the failure log, every item in the target once.
 * And an export whose stream stalls resumes instead of hanging.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { accountOn, cliFor, DEMO_API_KEY, events, exportedAccount } from "./helpers.js";

const SEED = { agents: 300 };

const { mock, cli, archive, tmp, close } = await exportedAccount(SEED, "cut.json");
afterAll(() => close());

const accountOf = (key: string) => accountOn(mock, key);

describe("an import answer cut mid-body after the target acted", () => {
  it("is retried inside the SDK: exit 0, no failure logged, every item in the target once", async () => {
    const key = mock.api.createAccount().key;
    const since = mock.seen.length;
    mock.dropImport = (n) => (n === 1 ? "cut" : undefined);
    const failures = tmp.path("failures.ndjson");
    const run = await cli(["import", archive, "--batch-size", "100", "--failures", failures, "--json"], {
      env: { RESONANT_API_KEY: key },
    });
    mock.dropImport = undefined;
    expect(run.code, run.stderr).toBe(0);
    const kinds = events(run.stdout).at(-1)!.kinds as { created: number; failed: number }[];
    expect(kinds.reduce((a, k) => a + k.created, 0)).toBe(300);
    expect(kinds.reduce((a, k) => a + k.failed, 0)).toBe(0);
    expect(await readFile(failures, "utf8").catch(() => "")).toBe("");
    // The cut batch went in once, and its second sending was the target's replay.
    const imports = mock.seen.slice(since).filter((s) => s.batch !== undefined);
    const cut = imports[1]!;
    expect(imports.filter((s) => s.batch === cut.batch).map((s) => s.replayed)).toEqual([false, true]);
    const carried = imports.filter((s) => s.status === 200 && !s.replayed).map((s) => s.batch);
    expect(new Set(carried).size).toBe(carried.length);
    expect(await accountOf(key)).toEqual(await accountOf(DEMO_API_KEY));
  });
});

/**
 * A proxy in front of the mock whose first NDJSON export stalls half-way
 * (headers and half the bytes, then nothing, the socket left open); every
 * other request, and the next exports, pass through.
 */
async function stallingProxy(
  target: string,
): Promise<{ baseURL: string; exports: () => number; close: () => Promise<void> }> {
  let exports = 0;
  const server: Server = createServer(async (req, res) => {
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => k !== "host" && k !== "connection"),
    ) as Record<string, string>;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks);
    const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, body });
    const bytes = Buffer.from(await upstream.arrayBuffer());
    const ndjson = (upstream.headers.get("content-type") ?? "").includes("x-ndjson");
    if (ndjson) exports += 1;
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
    if (ndjson && exports === 1) res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
    else res.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    exports: () => exports,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("an export whose stream stalls", () => {
  it("resumes after --timeout without a byte and writes every record once (it hung before)", async () => {
    const proxy = await stallingProxy(mock.url);
    try {
      const out = tmp.path("stalled.ndjson");
      const run = await cliFor(
        { ...mock, baseURL: proxy.baseURL },
        DEMO_API_KEY,
        tmp.dir,
      )(["export", "--out", out, "--timeout", "1", "--json"], { timeoutMs: 30_000 });
      expect(run.code, run.stderr).toBe(0);
      expect(proxy.exports()).toBe(2);
      // The SDK's resume, announced as a warning event, as its retries are.
      expect(events(run.stdout)).toContainEqual({
        event: "warning",
        message: expect.stringMatching(/^resuming the export in [\d.]+ s after \d+ \w+ record\(s\) \(retry 1 of 6\): /),
      });
      const agents = (await readFile(out, "utf8")).split("\n").filter((line) => line.includes('"kind":"agent"'));
      expect(agents).toHaveLength(300);
      expect(new Set(agents).size).toBe(300);
    } finally {
      await proxy.close();
    }
  }, 40_000);
});
