/**
 * An account object whose text, as the server sends it, names a key twice in
 * one object. `export` writes each record's text as it came, so it wrote such
 * an object with exit 0 into an archive that every reader of resonant then
 * refused (`the key "x" appears twice in one object`): a backup found
 * unusable only when it was needed. Export now stops with the object named,
 * and writes no file; copy and verify, which read the same text, do too.
 * The mock stores parsed objects, so its answers are rewritten on the way out:
 * 1.2's NDJSON lines, and 1.1's export pages. Run as real processes.
 */
import { existsSync } from "node:fs";
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer, type MockServer } from "@resonantgenesis/mock/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, exportPlainThenOdd, tempDir, warningless } from "./helpers.js";

const api = createMockApi({
  seed: { tools: 1, agents: 3 },
  versionStates: { "1.0": "deprecated", "1.1": "deprecated" },
});
/** Whether the next answers write the first agent's `model` twice; `spaced`, with a space before each colon and a '":' inside a string. */
let twice: false | "plain" | "spaced" = false;
const repeat = (text: string) =>
  twice === "spaced"
    ? text.replace('"model":', '"model" :"gpt-4","model" :').replace('"description":"', '"description":"a\\":b ')
    : text.replace('"model":', '"model":"gpt-4","model":');
let mock: MockServer;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  api.faults.set({ method: "GET", path: /\/v1\.1\/agents\/export/, rewrite: (text) => (twice ? repeat(text) : text) });
  const rewritten = Object.create(api) as typeof api;
  rewritten.fetch = async (request: Request) => {
    const response = await api.fetch(request);
    if (!twice || !(response.headers.get("content-type") ?? "").includes("ndjson")) return response;
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    return new Response(repeat(await response.text()), { status: response.status, headers });
  };
  mock = await startMockServer({ api: rewritten });
  tmp = await tempDir();
});
afterAll(async () => {
  await mock?.close();
  await tmp?.remove();
});

const REFUSED =
  /^resonant: the account's agents "[^"]+" names the key "model" twice in one object, as the server sent it: an archive's objects name each key once \(which value is meant cannot be told\), so resonant cannot export, compare or copy it; change that object in the account\n$/;

describe("an account object that names a key twice", { timeout: 60_000 }, () => {
  it("is refused by export, which writes no archive its readers would refuse", async () => {
    const cli = cliFor(mock, DEMO_API_KEY, tmp.dir);
    for (const [version, format, how] of [
      ["1.2", "json", "plain"],
      ["1.2", "ndjson", "plain"],
      ["1.1", "json", "plain"],
      ["1.2", "json", "spaced"],
    ] as const) {
      const out = `twice-${version}-${how}.${format}`;
      const run = await exportPlainThenOdd(cli, version, out, (on) => {
        twice = on ? how : false;
      });
      expect(run.code, `${version} ${format}: ${run.stderr}`).toBe(1);
      expect(warningless(run.stderr)).toMatch(REFUSED);
      expect(existsSync(tmp.path(out))).toBe(false);

      // verify compares the account's objects from the same text: it says so rather than pick one value.
      const verify = await cli(["--api-version", version, "--max-retries", "0", "verify", `plain-${out}`]);
      expect(verify.code, verify.stderr).toBe(1);
      expect(warningless(verify.stderr)).toMatch(REFUSED);

      // copy reads the same text, and stops at the object rather than send one of its values.
      const copy = await cli(["--api-version", version, "--max-retries", "0", "copy", "--quiet"], {
        env: { RESONANT_TO_API_KEY: api.createAccount().key },
      });
      expect(copy.code, copy.stderr).toBe(1);
      expect(warningless(copy.stderr)).toMatch(REFUSED);
    }
  });
});
