/**
 * What a new run finds at its checkpoint's name (`copy --checkpoint FILE`, an import's
 * `FILE.checkpoint`), with `resonant` run as a real process against the mock. Starting over replaces
 * only a checkpoint this resonant wrote: any other file (an archive, a log named by mistake) is refused
 * with exit 1 and left as it was, and so is a name that is not a regular file (a device, a FIFO, a
 * link) or a file larger than any checkpoint, before anything is read from it past that bound or made
 * beside it (its `.lock`). A checkpoint of another run (another account, another archive) is replaced,
 * with a warning that says whose it was.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, readdir, readFile, stat, symlink, truncate, utimes, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { CLI_COMMAND, canMakeDevices, exportedAccount, type Run } from "./helpers.js";

// Made while the file is collected (top-level await), closed after its tests.
const { mock, tmp, cli, archive, close } = await exportedAccount({ agents: 30, webhooks: 2 }, "a.json");
afterAll(() => close());

const newKey = () => mock.api.createAccount().key;
const absent = async (path: string) => expect(stat(path)).rejects.toThrow(/ENOENT/);
/** The names in the test's folder that a run may have left (a lock, a temporary file). */
const leftovers = async () => (await readdir(tmp.dir)).filter((name) => /\.lock$|\.partial$/.test(name));

let copies = 0;
/** A fresh copy of the archive (no checkpoint beside it yet). */
async function archiveCopy(): Promise<string> {
  const to = tmp.path(`copy-${++copies}.json`);
  await copyFile(archive, to);
  return to;
}

/**
 * Runs the CLI with its data segment bounded (2 GiB), so a run that reads a device without end fails
 * on its own rather than taking the machine's memory with it (what the unfixed CLI did with /dev/zero).
 */
function boundedCli(args: readonly string[], env: Record<string, string>): Promise<Run> {
  const child = spawn("sh", ["-c", 'ulimit -d 2097152 && exec "$@"', "sh", ...CLI_COMMAND, ...args], {
    cwd: tmp.dir,
    env: { ...process.env, RESONANT_LOG: undefined, NODE_PATH: undefined, RESONANT_BASE_URL: mock.baseURL, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("a file at the checkpoint's name that is not a checkpoint this resonant wrote", () => {
  const files: [string, string, () => Promise<string>][] = [
    [
      "an NDJSON log",
      "precious-secrets.ndjson",
      async () => '{"kind":"webhooks","id":"x","secret":"whsec_only_copy"}\n',
    ],
    ["an archive", "mybackup.json", () => readFile(archive, "utf8")],
    ["an empty file", "empty.checkpoint", async () => ""],
    ["JSON of another shape", "other.checkpoint", async () => '{"checkpoint_version":1,"run_id":"r"}\n'],
  ];

  it.each(files)(
    "copy --checkpoint %s: exit 1 naming it, the file byte for byte, nothing sent or made",
    async (_what, name, content) => {
      const path = tmp.path(name);
      const before = await content();
      await writeFile(path, before);
      const sent = mock.imports().length;
      for (const resume of [[], ["--resume"]]) {
        const run = await cli(["copy", "--to-key", newKey(), "--checkpoint", name, "--quiet", ...resume]);
        expect(run.code, run.stderr).toBe(1);
        expect(run.stderr).toBe(
          `resonant: the checkpoint ${name}: exists and is not a checkpoint this resonant wrote; resonant never overwrites it: move it away; nothing was written\n`,
        );
        expect(await readFile(path, "utf8")).toBe(before);
      }
      expect(mock.imports().length).toBe(sent);
      expect(await leftovers()).toEqual([]);
    },
  );

  it("import FILE with something else at FILE.checkpoint: refused before the archive is sent, the file kept", async () => {
    const file = await archiveCopy();
    const before = '{"kind":"webhooks","id":"x","secret":"whsec_only_copy"}\n';
    await writeFile(`${file}.checkpoint`, before);
    const sent = mock.imports().length;
    const run = await cli(["import", file], { env: { RESONANT_API_KEY: newKey() } });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      `the checkpoint ${file}.checkpoint: exists and is not a checkpoint this resonant wrote`,
    );
    expect(await readFile(`${file}.checkpoint`, "utf8")).toBe(before);
    expect(mock.imports().length).toBe(sent);
    expect(await leftovers()).toEqual([]);
  });

  it("a file larger than any checkpoint is refused unread (a sparse 65 MiB file)", async () => {
    const path = tmp.path("huge.checkpoint");
    await writeFile(path, "");
    await truncate(path, 65 * 1024 * 1024);
    const run = await boundedCli(["copy", "--to-key", newKey(), "--checkpoint", path], {
      RESONANT_API_KEY: "rg_test_sk_demo",
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      `the checkpoint ${path}: larger than 64 MiB, the most a checkpoint this resonant writes holds`,
    );
    expect((await stat(path)).size).toBe(65 * 1024 * 1024);
    expect(await leftovers()).toEqual([]);
  });

  it("a symbolic link at the name is refused, never followed: the file it points to is untouched", async () => {
    const victim = tmp.path("victim.txt");
    await writeFile(victim, "precious\n");
    await symlink(victim, tmp.path("link.checkpoint"));
    const run = await cli(["copy", "--to-key", newKey(), "--checkpoint", "link.checkpoint"]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain("the checkpoint link.checkpoint: is a symbolic link");
    expect(await readFile(victim, "utf8")).toBe("precious\n");
    expect(await leftovers()).toEqual([]);
  });
});

// Device nodes made here with mknod (the numbers of /dev/zero, /dev/full, /dev/urandom), never the machine's own.
describe.skipIf(!canMakeDevices)("a device or a FIFO at the checkpoint's name", () => {
  it.each([
    ["zero", "1 5"],
    ["full", "1 7"],
    ["urandom", "1 9"],
  ])("a device like /dev/%s: exit 1 at once, nothing read from it, no lock beside it", async (name, numbers) => {
    const device = tmp.path(`dev-${name}`);
    execFileSync("mknod", [device, "c", ...numbers.split(" ")]);
    const run = await boundedCli(["copy", "--to-key", newKey(), "--checkpoint", device], {
      RESONANT_API_KEY: "rg_test_sk_demo",
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toBe(`resonant: the checkpoint ${device}: not a regular file; name a file\n`);
    await absent(`${device}.lock`);
    expect((await stat(device)).isCharacterDevice()).toBe(true);
  });

  it("a FIFO: refused without opening it (nothing waits for a writer)", async () => {
    const fifo = tmp.path("fifo.checkpoint");
    execFileSync("mkfifo", [fifo]);
    const run = await boundedCli(["copy", "--to-key", newKey(), "--checkpoint", fifo], {
      RESONANT_API_KEY: "rg_test_sk_demo",
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toBe(`resonant: the checkpoint ${fifo}: not a regular file; name a file\n`);
    await absent(`${fifo}.lock`);
  });
});

describe.skipIf(!existsSync("/dev/null"))("/dev/null as the checkpoint", () => {
  it("refused before its lock is made", async () => {
    // Never /dev/null.lock: the CLI is not to make files in /dev.
    const run = await cli(["copy", "--to-key", newKey(), "--checkpoint", "/dev/null"]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toBe("resonant: the checkpoint /dev/null: not a regular file; name a file\n");
    await absent("/dev/null.lock");
  });
});

describe("a checkpoint of this resonant at the name, without --resume", () => {
  /** Leaves the checkpoint of an import of `file` into `key`'s account that was cut after its first batch. */
  async function interrupted(file: string, key: string): Promise<string> {
    let calls = 0;
    mock.dropImport = () => (calls++ === 1 ? "before" : undefined);
    const cut = await cli(["import", file, "--batch-size", "10", "--max-retries", "0"], {
      env: { RESONANT_API_KEY: key },
    }).finally(() => (mock.dropImport = undefined));
    expect(cut.code, cut.stderr).toBe(1);
    return readFile(`${file}.checkpoint`, "utf8");
  }

  it("this very run's: started over with the warning that --resume would carry on", async () => {
    const file = await archiveCopy();
    const key = newKey();
    await interrupted(file, key);
    const run = await cli(["import", file], { env: { RESONANT_API_KEY: key } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `warning: ${file}.checkpoint exists (an interrupted run): starting over; use --resume to carry on instead`,
    );
    await absent(`${file}.checkpoint`);
  });

  it("another account's: started over, the warning says whose it was and suggests no --resume", async () => {
    const file = await archiveCopy();
    await interrupted(file, newKey());
    const run = await cli(["import", file], { env: { RESONANT_API_KEY: newKey() } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `warning: ${file}.checkpoint is the checkpoint of another run (made for another target account): starting over replaces it`,
    );
    expect(run.stderr).not.toMatch(/--resume/);
    await absent(`${file}.checkpoint`);
  });

  it("a changed archive's: started over, said so", async () => {
    const file = await archiveCopy();
    const key = newKey();
    await interrupted(file, key);
    // The same content, a new modification time: not the file the checkpoint was made for.
    const later = new Date(Date.now() + 5_000);
    await utimes(file, later, later);
    const run = await cli(["import", file], { env: { RESONANT_API_KEY: key } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `${file}.checkpoint is the checkpoint of another run (made for another archive, or ${file} as it was before it changed): starting over replaces it`,
    );
  });

  it("a copy's checkpoint of another target: started over, said so", async () => {
    const name = "other-target.checkpoint";
    let calls = 0;
    mock.dropImport = () => (calls++ === 1 ? "before" : undefined);
    const cut = await cli([
      "copy",
      "--to-key",
      newKey(),
      "--checkpoint",
      name,
      "--batch-size",
      "10",
      "--max-retries",
      "0",
    ]).finally(() => (mock.dropImport = undefined));
    expect(cut.code, cut.stderr).toBe(1);
    const run = await cli(["copy", "--to-key", newKey(), "--checkpoint", name]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `warning: ${name} is the checkpoint of another run (made for another target account): starting over replaces it`,
    );
    await absent(tmp.path(name));
  });
});
