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
const CSP = "script-src 'self'; object-src 'none'; base-uri 'none'";
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".map": "application/json" };

// A missing browser is a broken machine, not a reason to pass.
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium, or set CHROMIUM_PATH`);

await build();

const site = createServer(async (request, response) => {
  const path = normalize(new URL(request.url, "http://x").pathname).replace(/^\/+/, "") || "index.html";
  try {
    const body = await readFile(join("dist", path));
    const headers = { "content-type": TYPES[extname(path)] ?? "application/octet-stream" };
    // A strict policy, as careful apps serve: no eval, no inline script. The SDK's checks are generated
    // code (no new Function), so every call must work under it.
    if (extname(path) === ".html") headers["content-security-policy"] = CSP;
    response.writeHead(200, headers).end(body);
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
  // Every refusal the policy made, to tell the SDK's own (a failure) from zod's probe on a failed check.
  await page.addInitScript(() => {
    globalThis.__violations = [];
    document.addEventListener("securitypolicyviolation", (event) =>
      globalThis.__violations.push(
        `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`,
      ),
    );
  });
  await page.goto(`${siteURL}/?${query}`);
  const result = page.locator("#result[data-status]");
  await result.waitFor({ timeout: 60_000 });
  const text = await result.textContent();
  if ((await result.getAttribute("data-status")) !== "ok")
    throw new Error(`the page failed: ${text}\n${logs.join("\n")}`);
  if (offLoopback.length > 0) throw new Error(`the page requested off loopback: ${offLoopback.join(", ")}`);
  const violations = await page.evaluate(() => globalThis.__violations);
  // Inline script or any script from elsewhere would be the page's own fault; an eval may only be
  // zod's probe, on the failure path, which then parses without its JIT.
  const notEval = violations.filter((v) => !v.includes(" eval "));
  if (notEval.length > 0) throw new Error(`the page broke its Content-Security-Policy: ${notEval.join("; ")}`);
  console.error(`vite-chromium: served with CSP "${CSP}"; eval refusals: ${violations.length}`);
  console.log(RESULT_PREFIX + text);
} finally {
  await context.close();
  await new Promise((resolve) => site.close(resolve));
  await rm(userDataDir, { recursive: true, force: true });
}
