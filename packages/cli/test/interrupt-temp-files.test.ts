/**
 * A Ctrl-C in the instant after a temporary file or folder is made, before its removal was registered, left
 * it behind: a `.NAME.<hex>.partial` beside an `--out` or a checkpoint (piling up, one a run), or a folder in
 * TMPDIR. The instant is held open by a preload (fixtures/signal-after-create.mjs), so every run hits it.
 */
import { mkdir, readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { exportedAccount } from "./helpers.js";

const PRELOAD = fileURLToPath(new URL("./fixtures/signal-after-create.mjs", import.meta.url));
const { cli, tmp, archive, close } = await exportedAccount({ agents: 30 }, "held.json");
afterAll(close);

/** The run's options: SIGINT right after it makes a path matching `pattern`. */
const signalledAfter = (pattern: string, env: Record<string, string> = {}) => ({
  env: { NODE_OPTIONS: `--import ${PRELOAD}`, SIGNAL_AFTER: pattern, ...env },
});

describe("Ctrl-C just after a temporary file is made", () => {
  it("export --out: no half file beside the target, and no target", async () => {
    const run = await cli(["export", "--out", "again.json"], signalledAfter("again\\.json\\.[0-9a-f]+\\.partial$"));
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toContain("--out again.json was not written");
    expect((await readdir(tmp.dir)).filter((name) => name.includes("again.json"))).toEqual([]);
  });

  it("import: no half checkpoint beside the archive, and the lock goes", async () => {
    const args = ["import", archive, "--batch-size", "5", "--on-conflict", "overwrite"];
    const run = await cli(args, signalledAfter("checkpoint\\.[0-9a-f]+\\.partial$"));
    expect(run.code, run.stderr).toBe(130);
    const left = (await readdir(tmp.dir)).filter((name) => name.includes(".partial") || name.endsWith(".lock"));
    expect(left).toEqual([]);
  });

  it("import from standard input: no folder left in TMPDIR", async () => {
    const temp = tmp.path("own-tmp");
    await mkdir(temp);
    const run = await cli(["import", "-", "--on-conflict", "overwrite"], {
      input: await readFile(archive, "utf8"),
      ...signalledAfter("resonant-stdin-", { TMPDIR: temp }),
    });
    expect(run.code, run.stderr).toBe(130);
    expect(await readdir(temp)).toEqual([]);
  });
});
