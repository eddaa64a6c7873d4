/**
 * Apps bundled from the built universal entry, as a browser bundler builds
 * them, each sending a real request to a loopback mock: ResonantClient and
 * ResonantClientBase send through ky (so ResonantClient's bundle does not carry
 * the plain fetch road beside it), ResonantCore through fetch itself, without ky.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { type MockServer, startMockServer } from "@resonantgenesis/mock/server";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";

const SDK_DIR = fileURLToPath(new URL("../..", import.meta.url));
let server: MockServer;
let dir: string;

beforeAll(async () => {
  server = await startMockServer({ seed: { agents: 1 } });
  dir = await mkdtemp(join(tmpdir(), "rg-universal-"));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Bundles `app` (which exports `run(baseURL, apiKey)`), runs it, and says what it bundled and answered. */
async function bundleAndRun(name: string, app: string) {
  const out = await build({
    stdin: { contents: app, resolveDir: SDK_DIR, loader: "js", sourcefile: `${name}.js` },
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    minify: true,
    metafile: true,
    logLevel: "silent",
  });
  const code = out.outputFiles[0]?.text ?? "";
  const file = join(dir, `${name}.mjs`);
  await writeFile(file, code);
  const { run } = await import(pathToFileURL(file).href);
  const [output] = Object.values(out.metafile.outputs);
  const bundled = Object.entries(output?.inputs ?? {}).filter(([, { bytesInOutput }]) => bytesInOutput > 0);
  return {
    answer: await run(server.baseURL, DEMO_API_KEY),
    ky: bundled.some(([input]) => /node_modules\/ky\//.test(input)),
    // plain-fetch-attempt.ts's timeout message (ky words its own otherwise).
    plainFetch: code.includes("timed out after"),
  };
}

const CALL = `const { data } = await client.agents.list({ limit: 1 }); return data.map((a) => a.object);`;

it.each([
  [
    "ResonantClient",
    `import { ResonantClient } from "@resonantgenesis/sdk";
    export async function run(baseURL, apiKey) { const client = new ResonantClient({ baseURL, apiKey }); ${CALL} }`,
  ],
  [
    "ResonantClientBase",
    `import { ResonantClientBase } from "@resonantgenesis/sdk";
    export async function run(baseURL, apiKey) { const client = new ResonantClientBase({ baseURL, apiKey }); ${CALL} }`,
  ],
])("an app made with %s alone sends through ky and carries no second fetch road", async (name, app) => {
  expect(await bundleAndRun(name, app)).toEqual({ answer: ["agent"], ky: true, plainFetch: false });
});

it("an app made with ResonantCore alone sends through fetch itself, without ky", async () => {
  const app = `import { Agents, ResonantCore } from "@resonantgenesis/sdk";
    export async function run(baseURL, apiKey) { const client = { agents: new ResonantCore({ baseURL, apiKey }).use(Agents) }; ${CALL} }`;
  expect(await bundleAndRun("ResonantCore", app)).toEqual({ answer: ["agent"], ky: false, plainFetch: true });
});
