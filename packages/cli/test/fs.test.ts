/**
 * The safe file pieces (src/fs/) in process, on real files in a temporary
 * directory: atomic outputs, durable logs, the same-file check. Device nodes
 * are made here with mknod (as root), never the machine's own /dev.
 */
import { execFileSync } from "node:child_process";
import { link, lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError } from "../src/exit.js";
import { DurableLog } from "../src/fs/durable-log.js";
import { refuseSameFile } from "../src/fs/same-file.js";
import { SafeFile, writeFileAtomic } from "../src/fs/safe-file.js";
import { tempDir } from "./helpers.js";

const isRoot = process.getuid?.() === 0;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
/** A fresh directory for one test. */
async function dir(): Promise<string> {
  const d = tmp.path(`case-${++n}`);
  await mkdir(d);
  return d;
}

beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(() => tmp.remove());

/** Awaits `promise`, answering the CliError it rejects with (and failing if it resolves or rejects otherwise). */
async function cliError(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe("SafeFile", () => {
  it("the target keeps its old content until commit, then holds the new whole; the temporary file is gone", async () => {
    const d = await dir();
    const target = join(d, "out.json");
    await writeFile(target, "old\n");
    const file = await SafeFile.open("--out", target);
    file.stream.write("new ");
    file.stream.write("content\n");
    expect(await readFile(target, "utf8")).toBe("old\n");
    const [temp] = (await readdir(d)).filter((name) => name !== "out.json");
    expect(temp).toMatch(/^\.out\.json\.[0-9a-f]{16}\.partial$/);
    expect((await stat(join(d, temp!))).mode & 0o777).toBe(0o600);
    await file.commit();
    expect(await readFile(target, "utf8")).toBe("new content\n");
    expect(await readdir(d)).toEqual(["out.json"]);
  });

  it("abort leaves the target as it was and removes the temporary file", async () => {
    const d = await dir();
    const target = join(d, "out.json");
    await writeFile(target, "old\n");
    const file = await SafeFile.open("--out", target);
    file.stream.write("half of it");
    await file.abort();
    expect(await readFile(target, "utf8")).toBe("old\n");
    expect(await readdir(d)).toEqual(["out.json"]);
  });

  it("refuses a symbolic link, a directory and a missing directory, naming the flag and the path", async () => {
    const d = await dir();
    await writeFile(join(d, "victim"), "precious\n");
    await symlink(join(d, "victim"), join(d, "link"));
    expect((await cliError(SafeFile.open("--out", join(d, "link")))).message).toBe(
      `--out ${join(d, "link")}: is a symbolic link; resonant never writes through one: name the file itself (or - for standard output)`,
    );
    expect((await cliError(SafeFile.open("--out", d))).message).toBe(`--out ${d}: is a directory; name a file`);
    expect((await cliError(SafeFile.open("--out", join(d, "gone", "x")))).message).toBe(
      `--out ${join(d, "gone", "x")}: the directory ${join(d, "gone")} does not exist`,
    );
    expect(await readFile(join(d, "victim"), "utf8")).toBe("precious\n");
    expect((await readdir(d)).sort()).toEqual(["link", "victim"]);
  });

  it("refuses to rename over something that stopped being a regular file during the run", async () => {
    const d = await dir();
    const target = join(d, "out.json");
    const file = await SafeFile.open("--out", target);
    file.stream.write("data\n");
    await symlink(join(d, "elsewhere"), target);
    expect((await cliError(file.commit())).message).toContain(`--out ${target}: is no longer a regular file`);
    expect((await lstat(target)).isSymbolicLink()).toBe(true);
    expect(await readdir(d)).toEqual(["out.json"]);
  });

  it.skipIf(!isRoot)(
    "writes a device in place: a full one fails at commit with ENOSPC named, and stays a device",
    async () => {
      const d = await dir();
      const full = join(d, "full");
      execFileSync("mknod", [full, "c", "1", "7"]);
      const file = await SafeFile.open("--out", full);
      expect(file.kind).toBe("special");
      file.stream.write("x".repeat(1000));
      expect((await cliError(file.commit())).message).toBe(`--out ${full}: no space left on device (ENOSPC)`);
      expect((await lstat(full)).isCharacterDevice()).toBe(true);
      expect(await readdir(d)).toEqual(["full"]);
    },
  );
});

describe("writeFileAtomic", () => {
  it("replaces a regular file whole, and refuses a link at the name without touching what it points to", async () => {
    const d = await dir();
    const target = join(d, "state.json");
    await writeFileAtomic("the checkpoint", target, "one\n");
    await writeFileAtomic("the checkpoint", target, "two\n");
    expect(await readFile(target, "utf8")).toBe("two\n");
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    await writeFile(join(d, "victim"), "precious\n");
    await symlink(join(d, "victim"), join(d, "link"));
    // No "(or - for standard output)": a checkpoint cannot be `-`, so that would be no way out.
    expect((await cliError(writeFileAtomic("the checkpoint", join(d, "link"), "x"))).message).toBe(
      `the checkpoint ${join(d, "link")}: is a symbolic link; resonant never writes through one: name the file itself`,
    );
    expect((await cliError(SafeFile.open("--checkpoint", join(d, "link"), { regularOnly: true }))).message).toBe(
      `--checkpoint ${join(d, "link")}: is a symbolic link; resonant never writes through one: name the file itself`,
    );
    expect(await readFile(join(d, "victim"), "utf8")).toBe("precious\n");
    expect((await readdir(d)).sort()).toEqual(["link", "state.json", "victim"]);
  });

  it.skipIf(!isRoot)("refuses a device at the name", async () => {
    const d = await dir();
    execFileSync("mknod", [join(d, "null"), "c", "1", "3"]);
    expect((await cliError(writeFileAtomic("the checkpoint", join(d, "null"), "x"))).message).toBe(
      `the checkpoint ${join(d, "null")}: not a regular file; name a file`,
    );
  });
});

describe("DurableLog", () => {
  it("lines reach the file at sync; truncate, append and refuse treat an existing file as asked; mode 0600", async () => {
    const d = await dir();
    const path = join(d, "log.ndjson");
    await writeFile(path, "earlier\n", { mode: 0o644 });
    const log = await DurableLog.open("--failures", path, { existing: "append" });
    log.append("a\n");
    expect(await readFile(path, "utf8")).toBe("earlier\n");
    await log.sync();
    expect(await readFile(path, "utf8")).toBe("earlier\na\n");
    log.append("b\n");
    await log.close();
    expect(await readFile(path, "utf8")).toBe("earlier\na\nb\n");
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    const again = await DurableLog.open("--failures", path, { existing: "truncate" });
    await again.close();
    expect(await readFile(path, "utf8")).toBe("");

    const refused = await cliError(DurableLog.open("--secrets-out", path, { existing: "refuse" }));
    expect((refused.cause as NodeJS.ErrnoException).code).toBe("EEXIST");
  });

  it("keeps every byte in order across chunks reused while appends go on during a sync", async () => {
    const d = await dir();
    const path = join(d, "journal.ndjson");
    const log = await DurableLog.open("journal", path, { existing: "refuse" });
    const expected: string[] = [];
    let pending: Promise<void> | undefined;
    for (let i = 0; i < 6000; i++) {
      // Lines of every size, a few longer than a chunk, some with multi-byte characters near a chunk's end.
      const filler = i % 997 === 0 ? "x".repeat(70_000 + i) : `é€😀${"y".repeat(i % 300)}`;
      const line = `{"seq":${i},"v":"${filler}"}\n`;
      log.append(line);
      expected.push(line);
      // Appends go on while a sync writes: what it writes must not be overwritten by a reused chunk.
      if (i % 400 === 399) {
        await pending;
        pending = log.sync();
      }
    }
    await pending;
    await log.close();
    expect(await readFile(path, "utf8")).toBe(expected.join(""));
  });

  it("refuses a symbolic link at the name (the file it points to is untouched) and standard output", async () => {
    const d = await dir();
    await writeFile(join(d, "victim"), "precious\n");
    await symlink(join(d, "victim"), join(d, "link"));
    for (const what of ["--failures", "--secrets-out"])
      for (const existing of ["append", "truncate", "refuse"] as const) {
        expect((await cliError(DurableLog.open(what, join(d, "link"), { existing }))).message).toBe(
          `${what} ${join(d, "link")}: is a symbolic link; resonant never writes through one: name the file itself`,
        );
      }
    expect(await readFile(join(d, "victim"), "utf8")).toBe("precious\n");
    expect((await cliError(DurableLog.open("--failures", "-", { existing: "append" }))).message).toBe(
      "--failures -: standard output cannot hold it; name a file",
    );
  });

  it.skipIf(!isRoot)(
    "a write error rejects sync with the path and the cause, and every later sync with the same",
    async () => {
      const d = await dir();
      const full = join(d, "full");
      execFileSync("mknod", [full, "c", "1", "7"]);
      const log = await DurableLog.open("--failures", full, { existing: "truncate" });
      log.append("a refused item\n");
      const first = await cliError(log.sync());
      expect(first.message).toBe(`--failures ${full}: no space left on device (ENOSPC)`);
      expect(await cliError(log.sync())).toBe(first);
      expect(await cliError(log.close())).toBe(first);
      expect((await lstat(full)).isCharacterDevice()).toBe(true);
    },
  );
});

describe("refuseSameFile", () => {
  it("an output that is an input by name, by another spelling, through a link or as a hard link", async () => {
    const d = await dir();
    const input = join(d, "backup.json");
    await writeFile(input, "{}");
    await symlink(input, join(d, "sym.json"));
    await link(input, join(d, "hard.json"));
    const spellings = [input, `${d}/./backup.json`, join(d, "sym.json"), join(d, "hard.json")];
    for (const path of spellings) {
      const error = await cliError(
        refuseSameFile([{ flag: "--failures", path }], [{ what: "the archive", path: input }]),
      );
      expect(error.message).toMatch(
        new RegExp(`^--failures ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is the same file as the archive `),
      );
    }
    // A different file, standard output, and no path at all pass.
    await refuseSameFile(
      [
        { flag: "--failures", path: join(d, "failures.ndjson") },
        { flag: "--out", path: "-" },
        { flag: "--secrets-out", path: undefined },
      ],
      [{ what: "the archive", path: input }],
    );
  });

  it("two outputs that are one file, also a name not made yet; two outputs may share a FIFO", async () => {
    const d = await dir();
    const error = await cliError(
      refuseSameFile(
        [
          { flag: "--failures", path: join(d, "x.ndjson") },
          { flag: "--secrets-out", path: `${d}/sub/../x.ndjson` },
        ],
        [],
      ),
    );
    expect(error.message).toBe(
      `--failures ${join(d, "x.ndjson")} and --secrets-out ${d}/sub/../x.ndjson are the same file: nothing was written, name two different files`,
    );
    const fifo = join(d, "pipe");
    execFileSync("mkfifo", [fifo]);
    await refuseSameFile(
      [
        { flag: "--failures", path: fifo },
        { flag: "--secrets-out", path: fifo },
      ],
      [],
    );
  });
});
