// The real-browser test: headless Chromium (Debian's chromium package, driven
// by playwright-core; browsers cannot be downloaded here) loads the example
// page bundled with the SDK, which talks to the mock server on loopback: a
// list, a get, an error with its class, exportAll and a streamed session. A
// second page (test/codings-page.ts) holds the SDK's fetch roads to compressed
// answers as Chromium's fetch hands them on: decoded, in a coding it does not
// know, or cut short (docs/retries-and-timeouts.md, "Compressed answers").
// Run with `pnpm --filter browser-example test`.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer } from "@resonantgenesis/mock/server";
import { ResonantClient } from "@resonantgenesis/sdk";
import { type BrowserContext, chromium } from "playwright-core";
import { build } from "../build.js";
import { startStaticServer } from "../server/static.js";
import type { Case, Outcome } from "./codings-page.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOT = process.env.SCREENSHOT_PATH ?? join(tmpdir(), "browser-example.png");
// No network beyond loopback: no QUIC, no first-run, sync, component or background fetches.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const SEED = { tools: 2, agents: 7, sessions: 3, memories: 4 };

/**
 * Chromium with a fresh profile; anything but loopback is refused and remembered (`offLoopback`), so a stray fetch
 * fails the test instead of leaking.
 */
async function launch(): Promise<{ context: BrowserContext; offLoopback: string[]; close(): Promise<void> }> {
  // A missing browser is a broken CI machine, not a reason to pass: fail loudly.
  assert.ok(
    existsSync(CHROMIUM),
    `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium), or set CHROMIUM_PATH`,
  );
  const userDataDir = await mkdtemp(join(tmpdir(), "rg-chromium-")); // a fresh profile each run
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
  });
  const offLoopback: string[] = [];
  await context.route(/^(?!https?:\/\/127\.0\.0\.1[:/])/, (route) => {
    offLoopback.push(route.request().url());
    return route.abort();
  });
  return {
    context,
    offLoopback,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

test("the example page runs the SDK in headless Chromium against the mock", { timeout: 120_000 }, async () => {
  const { context, offLoopback, close } = await launch();
  await build().catch(async (error: unknown) => {
    await close();
    throw error; // the bundle reaches a node: module
  });
  const mock = await startMockServer({ stepDelayMs: 25 });
  const seeded = mock.api.seed(SEED);
  const site = await startStaticServer();
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const logs: string[] = [];
    page.on("console", (message) => logs.push(`console.${message.type()}: ${message.text()}`));
    page.on("pageerror", (error) => logs.push(`pageerror: ${error.message}`));

    await page.goto(`${site.url}/?api=${encodeURIComponent(mock.baseURL)}`);
    const marker = page.locator('[data-testid="done"], [data-testid="error"]');
    await marker.waitFor({ timeout: 60_000 }).catch((error: Error) => {
      throw new Error(`the page never finished: ${error.message}\n${logs.join("\n")}`);
    });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const text = async (testId: string) => (await page.getByTestId(testId).textContent())?.trim() ?? "";
    assert.equal(
      await marker.getAttribute("data-testid"),
      "done",
      `the page failed: ${await marker.textContent()}\n${logs.join("\n")}`,
    );

    // Each result, against what the mock holds (read from Node with the same SDK).
    const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL: mock.baseURL });
    assert.equal(await text("list-count"), String(SEED.agents), "agents.list walked every page");
    assert.equal(
      await text("got-name"),
      (await client.agents.get(seeded.agents[0]!)).name,
      "agents.get answered the first agent",
    );
    assert.equal(await text("error-class"), "NotFoundError", "a 404 is a NotFoundError in the bundle");
    assert.equal(
      await text("archive-counts"),
      `agents ${SEED.agents}, tools ${SEED.tools}, sessions ${SEED.sessions}, memories ${SEED.memories}`,
    );
    const [sessionId, status] = (await text("stream-session")).split(" ");
    assert.equal(status, "completed", "the streamed session completed");
    const session = await client.sessions.get(sessionId!);
    assert.ok(session.result, "the session has a result");
    assert.equal(await text("stream-text"), session.result, "the streamed text equals the session's result");
    assert.deepEqual(offLoopback, [], "the page made no request off loopback");
    console.log(`screenshot: ${SCREENSHOT}`);
  } finally {
    await close();
    await Promise.all([site.close(), mock.close()]);
  }
});

// ---- Compressed answers, as Chromium's fetch hands them on ----

const here = dirname(fileURLToPath(import.meta.url));
const CODINGS_JS = join(here, "..", "dist", "codings.js");
// Text that compresses to a few hundred bytes, so half its compressed stream stops inside the JSON.
const AGENT = {
  id: "a1",
  object: "agent",
  name: "triage",
  model: "gpt-4-turbo",
  notes: Array.from({ length: 120 }, (_, i) => `note ${(i * 7919) % 1009}`).join(", "),
};
const AGENT_TEXT = JSON.stringify(AGENT);
const RECORDS = ["a1", "a2", "a3"].map((id) => JSON.stringify({ kind: "agent", data: { ...AGENT, id } }));
const END = {
  kind: "end",
  counts: { tools: 0, agents: 3, teams: 0, sessions: 0, memories: 0, triggers: 0, webhooks: 0 },
};
const NDJSON = `${[...RECORDS, JSON.stringify(END)].join("\n")}\n`;

/** A zstd frame of `text` (one raw block, an 8 KiB window), written by hand: Node 20 has no zstd encoder. */
function zstdFrame(text: string): Buffer {
  const content = Buffer.from(text);
  if (content.length > 8192) throw new Error("zstdFrame's window holds 8 KiB");
  // Magic; a descriptor with no flags; the window (2^(10+3)); the last block, raw, and its size.
  const block = 1 | (content.length << 3);
  return Buffer.concat([
    Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x18, block & 0xff, (block >> 8) & 0xff, block >> 16]),
    content,
  ]);
}

const compress = (coding: string, text: string): Buffer =>
  coding === "deflate"
    ? zlib.deflateSync(text)
    : coding === "br"
      ? zlib.brotliCompressSync(text)
      : coding === "zstd"
        ? zstdFrame(text)
        : zlib.gzipSync(text); // gzip, and x-foo: gzip bytes under a name no fetch knows

/** The start of `text`'s gzip stream, flushed to a byte boundary, without its end: a stream cut after `keep` characters. */
const gzipPrefix = (text: string, keep: number) =>
  zlib.gzipSync(text.slice(0, keep), { finishFlush: zlib.constants.Z_SYNC_FLUSH });

/**
 * The test's API, on two ports (the page's origin and another): each call's base URL is `<origin>/<scenario>`, so
 * one route answers per scenario, counting its requests (a retry gets the whole answer). A scenario that starts
 * with `exposed-` lets the page read Content-Encoding (Access-Control-Expose-Headers); else a cross-origin page
 * cannot, as with the mock's CORS. `/` and `/codings.js` are the page.
 */
async function startCodingServer() {
  const counts = new Map<string, number>();
  const acceptEncodings = new Set<string>();
  const answer = (scenario: string, n: number, res: ServerResponse, head: Record<string, string>) => {
    // `[exposed-][ndjson-]<coding>[-<cut>[-then-whole]]-<n>`
    const [, ndjson, coding = "", cut] =
      /^(?:exposed-)?(ndjson-)?([a-z-]+?)(?:-(close|chunked|close-then-whole|chunked-then-whole))?-\d+$/.exec(
        scenario,
      )!;
    head["content-type"] = ndjson ? "application/x-ndjson" : "application/json";
    head["content-encoding"] = coding;
    const text = ndjson ? NDJSON : AGENT_TEXT;
    if (!cut || (cut.endsWith("-then-whole") && n > 0))
      return void res.writeHead(200, head).end(compress(coding, text));
    // Cut: the JSON's compressed stream halved; the export's stops inside its second record, its first line whole.
    const bytes = compress(coding, text);
    const part = ndjson ? gzipPrefix(text, RECORDS[0]!.length + 1 + 100) : bytes.subarray(0, bytes.length >> 1);
    if (cut.startsWith("close")) {
      // Close-delimited: no Content-Length, no chunks; the body ends where the connection does.
      res.removeHeader("transfer-encoding");
      head.connection = "close";
    }
    res.writeHead(200, head);
    res.write(part, () => setTimeout(() => (cut.startsWith("close") ? res.socket?.end() : res.socket?.destroy()), 20));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/") {
      const html = '<!doctype html><meta charset="utf-8"><script type="module" src="/codings.js"></script>';
      return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    }
    if (path === "/codings.js")
      return void res.writeHead(200, { "content-type": "text/javascript" }).end(await readFile(CODINGS_JS));
    const scenario = path.split("/")[1]!;
    const head: Record<string, string> = { "access-control-allow-origin": req.headers.origin ?? "*" };
    if (scenario.startsWith("exposed-")) head["access-control-expose-headers"] = "content-encoding";
    if (req.method === "OPTIONS") {
      head["access-control-allow-headers"] = req.headers["access-control-request-headers"] ?? "*";
      head["access-control-allow-methods"] = "GET";
      return void res.writeHead(204, head).end();
    }
    acceptEncodings.add(String(req.headers["accept-encoding"]));
    const n = counts.get(scenario) ?? 0;
    counts.set(scenario, n + 1);
    answer(scenario, n, res, head);
  };
  const listen = async () => {
    const server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return server;
  };
  const servers: Server[] = [await listen(), await listen()];
  const [page, other] = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`) as [string, string];
  return {
    page,
    other,
    /** How many requests a scenario got. */
    requests: (scenario: string) => counts.get(scenario) ?? 0,
    acceptEncodings,
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      ),
  };
}

test("compressed answers through Chromium's fetch: decoded, refused, or a cut that fails", {
  timeout: 120_000,
}, async () => {
  const { context, offLoopback, close } = await launch();
  const server = await startCodingServer();
  try {
    await build(join(here, "codings-page.ts"), CODINGS_JS);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.page}/`);
    await page.waitForFunction(() => "runCase" in globalThis);
    let unique = 0;
    const run = async (origin: string, scenario: string, c: Omit<Case, "baseURL">) => {
      const name = `${scenario}-${unique++}`;
      const outcome = await page.evaluate(
        (spec: Case) => (globalThis as unknown as { runCase(c: Case): Promise<Outcome> }).runCase(spec),
        { ...c, baseURL: `${origin}/${name}` },
      );
      return {
        outcome,
        requests: server.requests(name),
        what: `${scenario} (${c.road}, ${origin === server.page ? "same origin" : "cross-origin"})`,
      };
    };
    const origins = [
      [server.page, ""], // same origin: every header readable
      [server.other, ""], // cross-origin, Content-Encoding not exposed (the mock's CORS)
      [server.other, "exposed-"], // cross-origin, Content-Encoding exposed
    ] as const;
    const roads = ["client", "core"] as const;
    const observed: string[] = [];
    for (const [origin, prefix] of origins) {
      for (const road of roads) {
        // (1, 2) What Chromium decodes is read; zstd is read or refused by name, never parsed as it came.
        for (const coding of ["gzip", "deflate", "br", "zstd"]) {
          const { outcome, what } = await run(origin, `${prefix}${coding}`, { road, call: "get", maxRetries: 0 });
          if (coding === "zstd" && !("ok" in outcome)) {
            assert.ok(outcome.connection, `${what}: ${outcome.name}: ${outcome.message}`);
            assert.match(outcome.message, /did not decode|still compressed/, what);
          } else assert.deepEqual(outcome, { ok: AGENT_TEXT }, what);
          if (coding === "zstd") observed.push(`zstd: ${"ok" in outcome ? "decoded" : outcome.message}`);
        }
        // (3) A coding no fetch knows (gzip bytes under x-foo): an APIConnectionError, named when the page may read it.
        {
          const { outcome, requests, what } = await run(origin, `${prefix}x-foo`, { road, call: "get", maxRetries: 1 });
          assert.ok("connection" in outcome && outcome.connection, `${what}: ${JSON.stringify(outcome)}`);
          assert.match(outcome.message, /fetch did not decode the answer's/, what);
          if (origin === server.page || prefix) assert.match(outcome.message, /"x-foo"/, what);
          assert.equal(requests, 1, `${what}: not retried`);
        }
        // (4) A gzip JSON answer cut mid-body, close-delimited or chunked then destroyed, and a br one: never a
        // success, an APIConnectionError.
        for (const scenario of ["gzip-close", "gzip-chunked", "br-close"]) {
          const { outcome, what } = await run(origin, `${prefix}${scenario}`, { road, call: "get", maxRetries: 0 });
          assert.ok("connection" in outcome && outcome.connection, `${what}: ${JSON.stringify(outcome)}`);
          assert.match(outcome.message, /mid-body/, what);
          observed.push(`${scenario}: ${outcome.message}`);
        }
      }
    }
    for (const road of roads) {
      // A cut answer is retried, and the whole one that follows is read.
      const cut = await run(server.other, "gzip-close-then-whole", { road, call: "get", maxRetries: 1 });
      assert.deepEqual(cut.outcome, { ok: AGENT_TEXT }, cut.what);
      assert.equal(cut.requests, 2, cut.what);
      // (5) The 1.2 NDJSON export cut inside a gzip stream resumes, every record once.
      for (const scenario of ["ndjson-gzip-close-then-whole", "ndjson-gzip-chunked-then-whole"]) {
        const { outcome, requests, what } = await run(server.other, scenario, {
          road,
          call: "exportStream",
          maxRetries: 1,
        });
        assert.deepEqual(outcome, { ok: "a1 a2 a3 end" }, what);
        assert.equal(requests, 2, `${what}: resumed once`);
      }
      // Without a resume left it fails, never ending short.
      for (const scenario of ["ndjson-gzip-close", "ndjson-gzip-chunked"]) {
        const { outcome, what } = await run(server.other, scenario, { road, call: "exportStream", maxRetries: 0 });
        assert.ok("connection" in outcome && outcome.connection, `${what}: ${JSON.stringify(outcome)}`);
      }
    }
    assert.deepEqual(offLoopback, [], "the page made no request off loopback");
    const { product } = await (await context.newCDPSession(page)).send("Browser.getVersion");
    console.log(`${product} sent Accept-Encoding: ${[...server.acceptEncodings].join(" | ")}`);
    console.log([...new Set(observed)].join("\n"));
  } finally {
    await close();
    await server.close();
  }
});
