/**
 * A server or a gateway that echoes the caller's key, or a secret, where resonant reads it as data: a failure
 * log's code and request id, a deprecation header shown in a `--json` warning, a webhook's read that carries a
 * secret into a migration's backup and journal; and a base URL whose password is spelt so the redactor's URL
 * pattern misses it. None of it may reach a file or a line resonant writes. Run as real processes.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import type { MockServer } from "@resonantgenesis/mock/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, startHandledMock, tempDir, withBody } from "./helpers.js";

// Keys no pattern knows: only their registration can hide them. The second holds what JSON escapes.
const KEY = "tok-PLAIN-cli-secret-42";
const QUOTED = 'q"AUDIT\\quote9';
const SECRET = "plainsecretvalue123";
const SEED = { agents: 3, webhooks: 2 };

let server: MockServer;
let tmp: Awaited<ReturnType<typeof tempDir>>;

/** Every file under `dir`, read as text, joined. */
async function allFiles(dir: string): Promise<string> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    names.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), "utf8")),
  );
  return texts.join("\n");
}

beforeAll(async () => {
  tmp = await tempDir();
  server = await startHandledMock(createMockApi({ seed: SEED }), async (request, ask) => {
    // The echoed keys stand for the demo account's; each answer carries the caller's key back.
    const given = (request.headers.get("authorization") ?? "").replace(/^Bearer /, "");
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname.endsWith("/import")) {
      // Every item refused, the key in its code and request id.
      const body = JSON.parse(await request.text()) as Record<string, { id: string }[]>;
      const items = Object.values(body).find(Array.isArray) ?? [];
      const failed = items.map(({ id }) => ({
        id,
        error: { code: `bad_${given}`, message: "refused", request_id: `req_${given}` },
      }));
      return Response.json({ imported: 0, skipped: 0, failed }, { headers: { "x-request-id": given } });
    }
    const headers = new Headers(request.headers);
    if (given === KEY || given === QUOTED) headers.set("authorization", `Bearer ${DEMO_API_KEY}`);
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
    const response = await ask(new Request(request.url, { method: request.method, headers, body }));
    const out = new Headers(response.headers);
    out.set("deprecation", "true");
    out.set("x-api-upgrade-to", given);
    const text = await response.text();
    // Webhook reads carrying a secret, as PROTOCOL.md says they never do.
    const secret = `"object":"webhook","secret":"${SECRET}"`;
    return withBody(
      response,
      url.pathname.includes("/webhooks") ? text.replace(/"object":"webhook"/g, secret) : text,
      out,
    );
  });
});
afterAll(async () => {
  await server.close();
  await tmp.remove();
});

describe("what a server echoes never reaches what resonant writes", () => {
  it("a failure log holds no key in an item's code or request id", async () => {
    const archive = tmp.path("account.json");
    expect((await cliFor(server, DEMO_API_KEY, tmp.dir)(["export", "--out", archive])).code).toBe(0);
    const run = await cliFor(server, KEY, tmp.dir)(["import", archive, "--failures", "failed.ndjson"]);
    expect(run.code, run.stderr).toBe(2);
    const log = await readFile(tmp.path("failed.ndjson"), "utf8");
    expect(log).toContain('"code":"bad_***"');
    expect(log + run.stdout + run.stderr).not.toContain(KEY);
  });

  it("a --json warning holds no key that JSON escapes (a quote, a backslash)", async () => {
    const run = await cliFor(server, QUOTED, tmp.dir)(["--json", "export", "--out", "quoted.json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/deprecated/);
    for (const form of [QUOTED, JSON.stringify(QUOTED).slice(1, -1), "AUDIT"])
      expect(run.stdout + run.stderr).not.toContain(form);
  });

  it("a migration's backup and journal hold no secret a webhook read carried", async () => {
    const dir = tmp.path("migrations");
    await mkdir(dir);
    await writeFile(
      join(dir, "0001_w.mjs"),
      `export default { revision: "w1", downRevision: null, message: "describe hooks",
  async up(ctx) { await ctx.update("webhooks", { set: { description: "checked" } }); } };\n`,
    );
    const run = await cliFor(server, DEMO_API_KEY, tmp.dir)(["migrate", "up", "--yes", "--backup", "hooks.json"]);
    expect(run.code, run.stderr).toBe(0);
    const written = (await readFile(tmp.path("hooks.json"), "utf8")) + (await allFiles(dir));
    expect(written).toContain("checked");
    expect(written).not.toContain(SECRET);
  });

  for (const url of [
    "http:/user:PASSWORD4242@127.0.0.1:1/api",
    "http//user:PASSWORD4242@127.0.0.1:1/api",
    "http:/\\user:PASSWORD4242@127.0.0.1:1/api",
  ])
    it(`a base URL's password spelt ${JSON.stringify(url.slice(0, 7))}... is never shown`, async () => {
      for (const json of [[], ["--json"]]) {
        const run = await cliFor(server, DEMO_API_KEY, tmp.dir)([...json, "versions", "--base-url", url]);
        expect(run.code).not.toBe(0);
        expect(run.stdout + run.stderr).not.toContain("PASSWORD4242");
      }
    });
});
