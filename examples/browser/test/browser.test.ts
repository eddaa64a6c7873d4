// The real-browser test: headless Chromium (Debian's chromium package, driven
// by playwright-core; browsers cannot be downloaded here) loads the example
// page bundled with the SDK, which talks to the mock server on loopback: a
// list, a get, an error with its class, exportAll and a streamed session.
// Run with `pnpm --filter browser-example test`.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer } from "@resonantgenesis/mock/server";
import { ResonantClient } from "@resonantgenesis/sdk";
import { chromium } from "playwright-core";
import { build } from "../build.js";
import { startStaticServer } from "../server/static.js";

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

test("the example page runs the SDK in headless Chromium against the mock", { timeout: 120_000 }, async () => {
  // A missing browser is a broken CI machine, not a reason to pass: fail loudly.
  assert.ok(
    existsSync(CHROMIUM),
    `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium), or set CHROMIUM_PATH`,
  );

  await build(); // throws if the bundle reaches a node: module
  const mock = await startMockServer({ stepDelayMs: 25 });
  const seeded = mock.api.seed(SEED);
  const site = await startStaticServer();
  const userDataDir = await mkdtemp(join(tmpdir(), "rg-chromium-")); // a fresh profile each run
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
  });
  try {
    // Anything but loopback is refused and remembered, so a stray fetch fails the test instead of leaking.
    const offLoopback: string[] = [];
    await context.route(/^(?!https?:\/\/127\.0\.0\.1[:/])/, (route) => {
      offLoopback.push(route.request().url());
      return route.abort();
    });
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
    await context.close();
    await Promise.all([site.close(), mock.close()]);
    await rm(userDataDir, { recursive: true, force: true });
  }
});
