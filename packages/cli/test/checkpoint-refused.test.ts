/**
 * A run refused before it sends anything leaves no checkpoint: an output it cannot open (`--failures -`,
 * a symbolic link, a `--secrets-out` that holds an earlier run's secrets) used to end the run with exit 1
 * after `FILE.checkpoint` was written, so the next run warned of an interrupted run that never was, and a
 * refused fresh run replaced an interrupted run's checkpoint with an empty one.
 */
import { readFile, stat, symlink, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { exportedAccount } from "./helpers.js";

// Made while the file is collected (top-level await), closed after its tests.
const { mock, tmp, cli, archive, close } = await exportedAccount({ agents: 30, webhooks: 2 }, "a.json");
afterAll(() => close());
await writeFile(tmp.path("target.ndjson"), "");
await symlink(tmp.path("target.ndjson"), tmp.path("link.ndjson"));
await writeFile(tmp.path("old-secrets.ndjson"), '{"kind":"webhooks","id":"x","secret":"whsec_earlier"}\n');

const absent = async (path: string) => expect(stat(path)).rejects.toThrow(/ENOENT/);

const REFUSED: [string, string[], RegExp][] = [
  ["--failures -", ["--failures", "-"], /--failures -: standard output cannot hold it/],
  ["--failures naming a symbolic link", ["--failures", "link.ndjson"], /symbolic link/],
  ["--secrets-out holding an earlier run's", ["--secrets-out", "old-secrets.ndjson"], /may hold the secrets/],
];

describe("a run refused before sending leaves no checkpoint", () => {
  it.each(REFUSED)("import %s", async (_name, flags, message) => {
    const key = mock.api.createAccount().key;
    const requests = mock.imports().length;
    const run = await cli(["import", archive, ...flags], { env: { RESONANT_API_KEY: key } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/--resume/);
    expect(mock.imports().length).toBe(requests);
    await absent(`${archive}.checkpoint`);
    const next = await cli(["import", archive], { env: { RESONANT_API_KEY: key } });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout + next.stderr).not.toMatch(/exists \(an interrupted run\)/);
  });

  it.each(REFUSED)("copy %s", async (_name, flags, message) => {
    const key = mock.api.createAccount().key;
    const requests = mock.imports().length;
    const run = await cli(["copy", "--to-key", key, ...flags]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(mock.imports().length).toBe(requests);
    await absent(tmp.path("resonant-copy.checkpoint"));
    const next = await cli(["copy", "--to-key", key]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout + next.stderr).not.toMatch(/exists \(an interrupted copy\)/);
  });

  it("copy from a key the source refuses: no checkpoint, and no advice to --resume", async () => {
    const run = await cli(["copy", "--to-key", mock.api.createAccount().key], {
      env: { RESONANT_API_KEY: "rg_test_sk_not_an_account_0000000000" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/--resume/);
    await absent(tmp.path("resonant-copy.checkpoint"));
  });

  const REFUSED_KEY = "rg_test_sk_not_an_account_0000000000";

  it("import with a key the target refuses at the first batch: no checkpoint, no lock, no advice to --resume", async () => {
    const run = await cli(["import", archive], { env: { RESONANT_API_KEY: REFUSED_KEY } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/401/);
    expect(run.stderr).not.toMatch(/--resume/);
    await absent(`${archive}.checkpoint`);
    await absent(`${archive}.checkpoint.lock`);
    const next = await cli(["import", archive], { env: { RESONANT_API_KEY: mock.api.createAccount().key } });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout + next.stderr).not.toMatch(/exists \(an interrupted run\)|another run/);
  });

  it("copy with a --to-key the target refuses: no checkpoint, no lock, no advice to --resume", async () => {
    const run = await cli(["copy", "--to-key", REFUSED_KEY]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the key was refused: check --to-key/);
    expect(run.stderr).not.toMatch(/--resume/);
    await absent(tmp.path("resonant-copy.checkpoint"));
    await absent(tmp.path("resonant-copy.checkpoint.lock"));
    const next = await cli(["copy", "--to-key", mock.api.createAccount().key]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout + next.stderr).not.toMatch(/exists \(an interrupted copy\)|another run/);
  });

  it.each([
    ["whose key is refused", (_key: string) => ({ flags: [], env: { RESONANT_API_KEY: REFUSED_KEY } })],
    ["refused before sending", (key: string) => ({ flags: ["--failures", "-"], env: { RESONANT_API_KEY: key } })],
  ])(
    "an interrupted run's checkpoint outlives a fresh run %s, byte for byte, and --resume carries on",
    async (_name, fresh) => {
      const key = mock.api.createAccount().key;
      const env = { RESONANT_API_KEY: key };
      let calls = 0;
      mock.dropImport = () => (calls++ === 1 ? "before" : undefined);
      const cut = await cli(["import", archive, "--batch-size", "10", "--max-retries", "0"], { env });
      mock.dropImport = undefined;
      expect(cut.code).toBe(1);
      const kept = await readFile(`${archive}.checkpoint`, "utf8");
      expect((JSON.parse(kept) as { batches: number }).batches).toBe(1);

      const { flags, env: freshEnv } = fresh(key);
      const refused = await cli(["import", archive, ...flags], { env: freshEnv });
      expect(refused.code).toBe(1);
      expect(refused.stderr).not.toMatch(/run again with --resume/);
      expect(await readFile(`${archive}.checkpoint`, "utf8")).toBe(kept);
      await absent(`${archive}.checkpoint.lock`);
      const resumed = await cli(["import", archive, "--batch-size", "10", "--resume"], { env });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(/resuming from .*: 1 batches acknowledged/);
    },
  );
});
