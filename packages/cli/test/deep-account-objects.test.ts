/**
 * An account object nested deeper than an archive may hold (256 levels, the
 * readers' bound). The server's JSON.parse takes any depth; what resonant
 * did next did not: `verify` and `restore` ended with "Maximum call stack
 * size exceeded", and `export` wrote, with exit 0, an archive that every
 * reader of resonant then refused. Each now stops with the object named.
 * The mock stores parsed objects, so the 1.1 tool pages (1.1 has no NDJSON
 * export) are rewritten on the way out. Run as real processes.
 */
import { existsSync } from "node:fs";
import { createMockApi } from "@resonantgenesis/mock";
import { startMockServer, type MockServer } from "@resonantgenesis/mock/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, tempDir, warningless } from "./helpers.js";

const api = createMockApi({ stepDelayMs: 1, versionStates: { "1.0": "deprecated", "1.1": "deprecated" } });
/** How deep the next answers nest each tool's parameters (0: as the mock holds them). */
let depth = 0;
let mock: MockServer;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let key: string;

beforeAll(async () => {
  api.faults.set({
    method: "GET",
    path: /\/v1\.1\/tools/,
    rewrite: (text) =>
      depth === 0
        ? text
        : text.replaceAll('"parameters":{', `"parameters":{"deep":${"[".repeat(depth)}${"]".repeat(depth)},`),
  });
  mock = await startMockServer({ api });
  tmp = await tempDir();
  ({ key } = api.createAccount());
  api.seed({ tools: 2, agents: 1 }, { key });
});
afterAll(async () => {
  await mock?.close();
  await tmp?.remove();
});

const REFUSED =
  /^resonant: the account's tools "[^"]+" holds arrays and objects nested more than 256 levels deep, more than an archive may hold: resonant cannot export, compare or copy it; change that object in the account\n$/;

describe("an account object nested deeper than an archive may hold", { timeout: 60_000 }, () => {
  it("verify, restore and copy name it instead of overflowing the stack; export writes no archive it could not read", async () => {
    const cli = cliFor(mock, key, tmp.dir);
    depth = 0;
    const shallow = await cli(["--api-version", "1.1", "export", "--out", "shallow.json"]);
    expect(shallow.code, shallow.stderr).toBe(0);

    depth = 100_000;
    for (const args of [
      ["verify", "shallow.json"],
      ["restore", "shallow.json", "--dry-run"],
      ["copy", "--quiet", "--to-key", api.createAccount().key],
    ]) {
      const run = await cli(["--api-version", "1.1", "--max-retries", "0", ...args]);
      expect(run.code, run.stderr).toBe(1);
      expect(warningless(run.stderr)).toMatch(REFUSED);
    }

    // 257 levels counting the tool itself: one more than an archive's reader takes.
    depth = 255;
    const deep = await cli(["--api-version", "1.1", "--max-retries", "0", "export", "--out", "deep.json"]);
    expect(deep.code, deep.stderr).toBe(1);
    expect(warningless(deep.stderr)).toMatch(REFUSED);
    expect(existsSync(tmp.path("deep.json"))).toBe(false);

    // 256 levels: exported, and read back by verify.
    depth = 254;
    const edge = await cli(["--api-version", "1.1", "--max-retries", "0", "export", "--out", "edge.json"]);
    expect(edge.code, edge.stderr).toBe(0);
    const back = await cli(["--api-version", "1.1", "--max-retries", "0", "verify", "edge.json"]);
    expect(back.code, back.stderr).toBe(0);
  });
});
