/**
 * Hostile output paths, with `resonant` run as a real process against the
 * mock: an output that is an input (by name, through a symbolic link, as a
 * hard link), links planted at an output's name or at a predictable
 * temporary name, a FIFO and device nodes made here with mknod (never the
 * machine's own /dev), a missing directory, and a full disk: a small tmpfs
 * mounted in a private mount namespace (`unshare -m`) that only the CLI
 * under test sees.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { copyFile, link, lstat, mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_COMMAND, DEMO_API_KEY, exportedAccount, type Run } from "./helpers.js";

const SEED = { tools: 2, agents: 60, teams: 1, sessions: 40, memories: 2, triggers: 2, webhooks: 2 };
const isRoot = process.getuid?.() === 0;

/** True when this machine lets us mount a tmpfs in a private mount namespace (root, unshare, no seccomp block). */
function canMountPrivately(): boolean {
  if (!isRoot) return false;
  const dir = mkdtempSync(join(tmpdir(), "resonant-probe-"));
  try {
    return spawnSync("unshare", ["-m", "sh", "-c", `mount -t tmpfs -o size=32k tmpfs "${dir}"`]).status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const privateMounts = canMountPrivately();

/** An archive whose sessions name an agent it lacks: the target refuses them, so the failure log gets lines. */
let partial: string;

const { mock, tmp, cli, archive, close } = await exportedAccount(SEED, "backup.json");
beforeAll(async () => {
  const doc = JSON.parse(await readFile(archive, "utf8")) as Record<string, unknown[]>;
  const agentId = (doc.sessions![0] as { agent_id: string }).agent_id;
  doc.agents = doc.agents!.filter((a) => (a as { id: string }).id !== agentId);
  delete doc.counts;
  delete doc.checksum;
  partial = tmp.path("partial.json");
  await writeFile(partial, JSON.stringify(doc));
});
afterAll(() => close());

let copies = 0;
/** A fresh copy of `file` (no checkpoint beside it yet), so tests do not share state. */
async function copyOf(file: string): Promise<string> {
  const to = tmp.path(`copy-${++copies}.json`);
  await copyFile(file, to);
  return to;
}

const newKey = () => mock.api.createAccount().key;
const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

/** The run failed cleanly: exit 1, one `resonant:` line with `message`, and no stack dump. */
function expectCleanFailure(run: Run, message: string): void {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toContain(`resonant: ${message}`);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

describe("an output that is an input is refused before anything is written", () => {
  it("--failures naming the archive, by name, through a symbolic link, as a hard link: exit 1, the archive byte-identical, nothing sent", async () => {
    const file = await copyOf(archive);
    const before = await readFile(file);
    const viaLink = tmp.path("link-to-archive.json");
    const hardLink = tmp.path("hard-link-to-archive.json");
    await symlink(file, viaLink);
    await link(file, hardLink);
    const sent = mock.imports().length;
    const cases = [
      [file, ""],
      [viaLink, " (through a symbolic link)"],
      [hardLink, " (a hard link to it)"],
    ] as const;
    for (const [name, how] of cases) {
      const run = await cli(["import", file, "--failures", name], { env: { RESONANT_API_KEY: newKey() } });
      expectCleanFailure(run, `--failures ${name} is the same file as the archive ${file}${how}`);
      expect(await readFile(file)).toEqual(before);
    }
    expect(mock.imports().length).toBe(sent);
    expect(await exists(`${file}.checkpoint`)).toBe(false);
  });

  it("every command's outputs: --secrets-out on resume, upgrade --out, restore --failures, the checkpoint, two outputs naming one file", async () => {
    const file = await copyOf(archive);
    const before = await readFile(file);
    const viaLink = tmp.path("another-link.json");
    await symlink(file, viaLink);
    const sent = mock.imports().length;
    const key = newKey();
    const both = tmp.path("both.ndjson");
    const cases: [string[], string][] = [
      [
        ["import", file, "--resume", "--secrets-out", file],
        `--secrets-out ${file} is the same file as the archive ${file}`,
      ],
      [
        ["upgrade", file, "--to", "1.2", "--out", viaLink],
        `--out ${viaLink} is the same file as the archive ${file} (through a symbolic link)`,
      ],
      [["restore", file, "--yes", "--failures", file], `--failures ${file} is the same file as the backup ${file}`],
      [
        ["import", file, "--failures", `${file}.checkpoint`],
        `--failures ${file}.checkpoint and the checkpoint ${file}.checkpoint are the same file`,
      ],
      [
        ["import", file, "--failures", both, "--secrets-out", both],
        `--failures ${both} and --secrets-out ${both} are the same file`,
      ],
      [
        ["copy", "--to-key", key, "--checkpoint", both, "--failures", both],
        `--checkpoint ${both} and --failures ${both} are the same file`,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args, { env: { RESONANT_API_KEY: key } });
      expectCleanFailure(run, message);
      expect(await readFile(file)).toEqual(before);
    }
    expect(mock.imports().length).toBe(sent);
    expect(await exists(both)).toBe(false);
  });
});

describe("links are never followed", () => {
  it("a link planted at a predictable temporary name (FILE.partial, FILE.checkpoint.tmp) is left alone; what it points to is unchanged", async () => {
    const victim = tmp.path("victim-1.txt");
    await writeFile(victim, "precious\n");
    const out = tmp.path("planted.json");
    await symlink(victim, `${out}.partial`);
    const exported = await cli(["export", "--out", out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(await readFile(victim, "utf8")).toBe("precious\n");
    expect((await lstat(out)).isFile()).toBe(true);
    expect(JSON.parse(await readFile(out, "utf8"))).toMatchObject({ checksum: expect.stringMatching(/^sha256:/) });
    expect(await readlink(`${out}.partial`)).toBe(victim);

    const file = await copyOf(archive);
    await symlink(victim, `${file}.checkpoint.tmp`);
    const imported = await cli(["import", file], { env: { RESONANT_API_KEY: newKey() } });
    expect(imported.code, imported.stderr).toBe(0);
    expect(await readFile(victim, "utf8")).toBe("precious\n");
  });

  it("a symbolic link at an output's own name is refused (exit 1, naming it), never written through", async () => {
    const victim = tmp.path("victim-2.txt");
    await writeFile(victim, "precious\n");
    const viaLink = tmp.path("out-link.json");
    await symlink(victim, viaLink);
    const sent = mock.imports().length;
    const file = await copyOf(partial);
    await symlink(victim, `${file}.checkpoint`);
    const cases: [string[], string][] = [
      [["export", "--out", viaLink], `--out ${viaLink}: is a symbolic link`],
      [["import", await copyOf(partial), "--failures", viaLink], `--failures ${viaLink}: is a symbolic link`],
      [["import", await copyOf(archive), "--secrets-out", viaLink], `--secrets-out ${viaLink}: is a symbolic link`],
      [["import", file], `the checkpoint ${file}.checkpoint: is a symbolic link`],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args, { env: { RESONANT_API_KEY: newKey() } });
      expectCleanFailure(run, message);
      expect(await readFile(victim, "utf8")).toBe("precious\n");
      expect(await readlink(viaLink)).toBe(victim);
    }
    expect(mock.imports().length).toBe(sent);
  });
});

describe("devices and FIFOs are written in place, never replaced", () => {
  it("--out to a FIFO streams the archive into it, and the FIFO stays a FIFO", async () => {
    const fifo = tmp.path("archive.fifo");
    execFileSync("mkfifo", [fifo]);
    const reader = spawn("cat", [fifo]);
    let received = "";
    reader.stdout.setEncoding("utf8").on("data", (d: string) => (received += d));
    const done = new Promise((resolve) => reader.on("close", resolve));
    const run = await cli(["export", "--out", fifo]);
    const stillFifo = (await lstat(fifo)).isFIFO();
    // A reader whose FIFO was replaced would wait for a writer forever.
    if (run.code !== 0 || !stillFifo) reader.kill();
    expect(run.code, run.stderr).toBe(0);
    expect(stillFifo).toBe(true);
    await done;
    // The whole archive came through: the same records as the export to a file, and its own checksum at the end.
    const doc = JSON.parse(received) as { counts: Record<string, number>; checksum: string };
    expect(doc.counts).toEqual((JSON.parse(await readFile(archive, "utf8")) as { counts: unknown }).counts);
    expect(doc.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.skipIf(!isRoot)(
    "--out to device nodes made here (mknod null and full): null takes it, full is exit 1 naming the path; both stay devices",
    async () => {
      const dir = tmp.path("devices");
      await mkdir(dir);
      const nul = join(dir, "null");
      const full = join(dir, "full");
      execFileSync("mknod", [nul, "c", "1", "3"]);
      execFileSync("mknod", [full, "c", "1", "7"]);
      const ok = await cli(["export", "--out", nul]);
      expect(ok.code, ok.stderr).toBe(0);
      const failed = await cli(["export", "--out", full]);
      expectCleanFailure(failed, `--out ${full}: no space left on device`);
      expect((await lstat(nul)).isCharacterDevice()).toBe(true);
      expect((await lstat(full)).isCharacterDevice()).toBe(true);
      expect((await readdir(dir)).sort()).toEqual(["full", "null"]);
    },
  );

  it.skipIf(!isRoot)(
    "--failures to a full device: exit 1 naming it, the checkpoint claims no refused item, and a resume records every one",
    async () => {
      const dir = tmp.path("devices-2");
      await mkdir(dir);
      const full = join(dir, "full");
      execFileSync("mknod", [full, "c", "1", "7"]);
      const key = newKey();
      const file = await copyOf(partial);
      const run = await cli(["import", file, "--failures", full, "--batch-size", "5"], {
        env: { RESONANT_API_KEY: key },
      });
      expectCleanFailure(run, `--failures ${full}: no space left on device`);
      const checkpoint = JSON.parse(await readFile(`${file}.checkpoint`, "utf8")) as {
        totals: Record<string, { failed: number }>;
      };
      expect(Object.values(checkpoint.totals).reduce((a, t) => a + t.failed, 0)).toBe(0);

      // Room at the log's name (a resume appends to the interrupted run's log and to no other).
      await rm(full);
      const resumed = await cli(["import", file, "--failures", full, "--batch-size", "5", "--resume"], {
        env: { RESONANT_API_KEY: key },
      });
      expect(resumed.code, resumed.stderr).toBe(2);
      expect(await failedIds(full)).toEqual(await referenceFailures());
    },
  );
});

/** The ids of the items a failure log names, sorted. */
async function failedIds(file: string): Promise<string[]> {
  const lines = (await readFile(file, "utf8")).split("\n").filter(Boolean);
  return lines.map((l) => `${(JSON.parse(l) as { kind: string }).kind} ${(JSON.parse(l) as { id: string }).id}`).sort();
}

let reference: string[] | undefined;
/** The items an uninterrupted import of the partial archive refuses. */
async function referenceFailures(): Promise<string[]> {
  if (reference) return reference;
  const log = tmp.path("reference-failures.ndjson");
  const run = await cli(["import", await copyOf(partial), "--failures", log], { env: { RESONANT_API_KEY: newKey() } });
  expect(run.code, run.stderr).toBe(2);
  reference = await failedIds(log);
  expect(reference.length).toBeGreaterThan(0);
  return reference;
}

describe("a missing directory", () => {
  it("an output in a directory that does not exist: exit 1 naming the directory, nothing sent", async () => {
    const gone = tmp.path("no-such-dir");
    const sent = mock.imports().length;
    expectCleanFailure(
      await cli(["export", "--out", join(gone, "out.json")]),
      `--out ${join(gone, "out.json")}: the directory ${gone} does not exist`,
    );
    const run = await cli(["import", await copyOf(partial), "--failures", join(gone, "f.ndjson")], {
      env: { RESONANT_API_KEY: newKey() },
    });
    expectCleanFailure(run, `--failures ${join(gone, "f.ndjson")}: the directory ${gone} does not exist`);
    expect(mock.imports().length).toBe(sent);
    expect(await exists(gone)).toBe(false);
  });
});

let disks = 0;
/**
 * Runs `script` (sh) in a private mount namespace where $DISK is a fresh
 * tmpfs of `size`; "$@" in the script is the CLI. $OUT is a directory on the
 * real disk where the script leaves what the test reads afterwards (the
 * tmpfs goes with the namespace). Resolves with $OUT.
 */
async function onSmallDisk(size: string, script: string, env: Record<string, string>): Promise<string> {
  const n = ++disks;
  const disk = tmp.path(`disk-${n}`);
  const out = tmp.path(`disk-${n}-out`);
  await mkdir(disk);
  await mkdir(out);
  const child = spawn(
    "unshare",
    ["-m", "sh", "-c", `mount -t tmpfs -o size=${size} tmpfs "$DISK" || exit 99\n${script}`, "sh", ...CLI_COMMAND],
    {
      env: {
        ...process.env,
        RESONANT_LOG: undefined,
        RESONANT_BASE_URL: mock.baseURL,
        RESONANT_API_KEY: DEMO_API_KEY,
        DISK: disk,
        OUT: out,
        ...env,
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const code = await new Promise((resolve) => child.on("close", resolve));
  expect(code, stderr).toBe(0);
  return out;
}

const read = (dir: string, name: string) => readFile(join(dir, name), "utf8");

// Skipped only where a private tmpfs cannot be mounted (not root, no unshare, a sandbox that forbids it): the title says so.
const fullDiskTitle = privateMounts
  ? "a full disk (a tmpfs in a private mount namespace)"
  : "a full disk: SKIPPED, this machine cannot mount a tmpfs in a private mount namespace (needs root and unshare -m)";
describe.skipIf(!privateMounts)(fullDiskTitle, () => {
  it("--out: exit 1 naming the path, no stack dump, the file that was there untouched and nothing half-written left", async () => {
    // The archive (about 70 KB) does not fit in 32 KiB: the disk fills in the middle of it.
    const out = await onSmallDisk(
      "32k",
      `echo old > "$DISK/out.json"
"$@" export --out "$DISK/out.json" 2>"$OUT/err"; echo $? >"$OUT/code"
ls -A "$DISK" >"$OUT/ls"; cat "$DISK/out.json" >"$OUT/out.json"`,
      {},
    );
    const disk = out.replace(/-out$/, "");
    expectCleanFailure(
      { code: Number(await read(out, "code")), stdout: "", stderr: await read(out, "err") },
      `--out ${disk}/out.json: no space left on device`,
    );
    expect(await read(out, "ls")).toBe("out.json\n");
    expect(await read(out, "out.json")).toBe("old\n");
  });

  it("--failures: exit 1 naming it, the checkpoint claims no item the log lacks, and a resume with room records every refused item", async () => {
    const file = await copyOf(partial);
    const out = await onSmallDisk(
      "32k",
      `yes >"$DISK/filler" 2>/dev/null
"$@" import "$ARCHIVE" --failures "$DISK/f.ndjson" --batch-size 5 2>"$OUT/err1"; echo $? >"$OUT/code1"
cp "$ARCHIVE.checkpoint" "$OUT/checkpoint1"; cp "$DISK/f.ndjson" "$OUT/f1.ndjson"
rm "$DISK/filler"
"$@" import "$ARCHIVE" --failures "$DISK/f.ndjson" --batch-size 5 --resume 2>"$OUT/err2"; echo $? >"$OUT/code2"
cp "$DISK/f.ndjson" "$OUT/f2.ndjson"`,
      { ARCHIVE: file, RESONANT_API_KEY: newKey() },
    );
    const disk = out.replace(/-out$/, "");
    expectCleanFailure(
      { code: Number(await read(out, "code1")), stdout: "", stderr: await read(out, "err1") },
      `--failures ${disk}/f.ndjson: no space left on device (ENOSPC); the checkpoint ${file}.checkpoint keeps what was acknowledged: run again with --resume`,
    );
    const checkpoint = JSON.parse(await read(out, "checkpoint1")) as { totals: Record<string, { failed: number }> };
    const claimed = Object.values(checkpoint.totals).reduce((a, t) => a + t.failed, 0);
    expect(claimed).toBeLessThanOrEqual((await failedIds(join(out, "f1.ndjson"))).length);
    expect(Number(await read(out, "code2")), await read(out, "err2")).toBe(2);
    expect(await failedIds(join(out, "f2.ndjson"))).toEqual(await referenceFailures());
  });

  it("the checkpoint: exit 1 naming it before anything is sent, the archive beside it untouched", async () => {
    const sent = mock.imports().length;
    const out = await onSmallDisk(
      "256k",
      `cp "$ARCHIVE" "$DISK/a.json"; yes >"$DISK/filler" 2>/dev/null
"$@" import "$DISK/a.json" 2>"$OUT/err"; echo $? >"$OUT/code"
ls -A "$DISK" >"$OUT/ls"; cmp "$ARCHIVE" "$DISK/a.json" && echo same >"$OUT/cmp"`,
      { ARCHIVE: archive, RESONANT_API_KEY: newKey() },
    );
    const disk = out.replace(/-out$/, "");
    expectCleanFailure(
      { code: Number(await read(out, "code")), stdout: "", stderr: await read(out, "err") },
      `the checkpoint ${disk}/a.json.checkpoint: no space left on device`,
    );
    // Nothing was sent, and no checkpoint holds the run: nothing to resume.
    expect(await read(out, "err")).not.toMatch(/--resume/);
    expect(await read(out, "ls")).toBe("a.json\nfiller\n");
    expect(await read(out, "cmp")).toBe("same\n");
    expect(mock.imports().length).toBe(sent);
  });
});
