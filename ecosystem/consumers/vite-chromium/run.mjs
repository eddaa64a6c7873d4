// Builds the app with Vite, serves dist/ on loopback, opens it in headless
// Debian Chromium through playwright-core (browsers cannot be downloaded
// here, so Debian's package is used) and prints the page's result.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";
import { build } from "vite";
import { RESULT_PREFIX } from "./scenario.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// No network beyond loopback: no QUIC, first-run, sync, component or background fetches.
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
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".map": "application/json" };

// A missing browser is a broken machine, not a reason to pass.
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium, or set CHROMIUM_PATH`);

await build();

const site = createServer(async (request, response) => {
  const path = normalize(new URL(request.url, "http://x").pathname).replace(/^\/+/, "") || "index.html";
  try {
    const body = await readFile(join("dist", path));
    response.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => site.listen(0, "127.0.0.1", resolve));
const siteURL = `http://127.0.0.1:${site.address().port}`;

const userDataDir = await mkdtemp(join(tmpdir(), "rg-chromium-")); // a fresh profile each run
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: ARGS,
});
try {
  // Anything but loopback is refused and reported, so a stray request fails the test.
  const offLoopback = [];
  await context.route(/^(?!https?:\/\/127\.0\.0\.1[:/])/, (route) => {
    offLoopback.push(route.request().url());
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const logs = [];
  page.on("console", (message) => logs.push(`console.${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => logs.push(`pageerror: ${error.message}`));
  const query = new URLSearchParams({ api: process.env.RESONANT_BASE_URL, key: process.env.RESONANT_API_KEY });
  await page.goto(`${siteURL}/?${query}`);
  const result = page.locator("#result[data-status]");
  await result.waitFor({ timeout: 60_000 });
  const text = await result.textContent();
  if ((await result.getAttribute("data-status")) !== "ok")
    throw new Error(`the page failed: ${text}\n${logs.join("\n")}`);
  if (offLoopback.length > 0) throw new Error(`the page requested off loopback: ${offLoopback.join(", ")}`);
  console.log(RESULT_PREFIX + text);
} finally {
  await context.close();
  await new Promise((resolve) => site.close(resolve));
  await rm(userDataDir, { recursive: true, force: true });
}
