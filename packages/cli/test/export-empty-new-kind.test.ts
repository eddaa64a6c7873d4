/**
 * A newer server's kind the account holds none of: the evolved mock's end line counts it (`"policies": 0`), and
 * only that line says so. `export` left it out of the archive (no `"policies"` array in JSON, no count in NDJSON's
 * end line), so the backup no longer said the account had none; it now carries it as the server counts it. copy,
 * verify and import take the kind with no records as before. Real processes against the real mock.
 */
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, DEMO_API_KEY, startCountingMock, tempDir, type CountingMock } from "./helpers.js";

let mock: CountingMock;
let tmp: Awaited<ReturnType<typeof tempDir>>;
/** An account with two workflows and no policy, and the CLI bound to it. */
let account: { key: string; cli: ReturnType<typeof cliFor> };

/** The objects of the evolved kind `kind` in the account of `key`, as its own export route answers them. */
async function objectsOf(kind: string, key: string): Promise<unknown[]> {
  const res = await fetch(`${mock.baseURL}/v1.2/${kind}/export`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as Record<string, unknown[]>)[kind]!;
}

/** A fresh account on the evolved server, and the CLI bound to it. */
const freshAccount = () => {
  const { key } = mock.api.createAccount();
  return { key, cli: cliFor(mock, key, tmp.dir) };
};

beforeAll(async () => {
  mock = await startCountingMock({
    evolve: { kinds: ["workflows", "policies"] },
    seed: { tools: 1, agents: 2, sessions: 1 },
  });
  tmp = await tempDir();
  // The seeded account less its policies (and so less its counts and checksum), imported into a fresh one.
  const seeded = await cliFor(mock, DEMO_API_KEY, tmp.dir)(["export", "--out", "seeded.json"]);
  expect(seeded.code, seeded.stderr).toBe(0);
  const doc = JSON.parse(await readFile(tmp.path("seeded.json"), "utf8")) as Record<string, unknown>;
  for (const member of ["policies", "counts", "checksum"]) delete doc[member];
  await writeFile(tmp.path("no-policies.json"), JSON.stringify(doc));
  account = freshAccount();
  const imported = await account.cli(["import", "no-policies.json", "--quiet"]);
  expect(imported.code, imported.stdout + imported.stderr).toBe(0);
  expect(await objectsOf("workflows", account.key)).toHaveLength(2);
  expect(await objectsOf("policies", account.key)).toEqual([]);
});
afterAll(async () => {
  await mock.close();
  await tmp.remove();
});

describe("a newer server's kind the account holds none of", { timeout: 60_000 }, () => {
  it("is an empty array in a JSON export, which verify and import take", async () => {
    const exported = await account.cli(["export", "--out", "empty-kind.json"]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toBe("");
    const doc = JSON.parse(await readFile(tmp.path("empty-kind.json"), "utf8")) as Record<string, unknown>;
    expect(doc.policies).toEqual([]);
    expect(doc.workflows).toHaveLength(2);
    expect(doc.counts).toMatchObject({ workflows: 2, policies: 0 });

    const verified = await account.cli(["verify", "empty-kind.json"]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^policies +0 +0 +0 +0 +0$/m);
    const target = freshAccount();
    const imported = await target.cli(["import", tmp.path("empty-kind.json"), "--quiet"]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(await objectsOf("workflows", target.key)).toEqual(await objectsOf("workflows", account.key));
    expect(await objectsOf("policies", target.key)).toEqual([]);
  });

  it("is a count of 0 in an NDJSON export's end line, which verify takes", async () => {
    const exported = await account.cli(["export", "--out", "empty-kind.ndjson"]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toBe("");
    const lines = (await readFile(tmp.path("empty-kind.ndjson"), "utf8")).trimEnd().split("\n");
    expect(JSON.parse(lines.at(-1)!).counts).toMatchObject({ workflows: 2, policies: 0 });
    expect(lines.filter((line) => line.startsWith('{"kind":"workflow","data":'))).toHaveLength(2);
    const verified = await account.cli(["verify", "empty-kind.ndjson"]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });

  it("is copied as nothing: the copy ends whole, the target holds no policy", async () => {
    const target = freshAccount();
    const copied = await account.cli(["copy", "--to-key", target.key]);
    expect(copied.code, copied.stdout + copied.stderr).toBe(0);
    expect(copied.stderr).toBe("");
    expect(await objectsOf("workflows", target.key)).toEqual(await objectsOf("workflows", account.key));
    expect(await objectsOf("policies", target.key)).toEqual([]);
  });
});
