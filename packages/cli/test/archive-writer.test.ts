/**
 * The archive writer reuses its byte chunks once the file (or gzip, for a
 * `.gz` target) has taken them. An archive many chunks long must hold every
 * record's bytes as given, in order, with the checksum of those bytes: a
 * chunk filled again while still held would pass the hash and write other
 * records' bytes. Read back with the ArchiveReader, as every command reads.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArchiveReader } from "../src/archive/reader.js";
import { ArchiveWriter } from "../src/archive/writer.js";
import { CliError } from "../src/exit.js";
import { tempDir } from "./helpers.js";

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.remove();
});

// About 9 MB: some 35 chunks of 256 KiB, more than the file stream holds at once.
const agents = Array.from({ length: 30_000 }, (_, i) => ({
  id: `agent-${i}`,
  name: `agent ${i} é€😀`,
  description: String(i % 10).repeat(200 + (i % 97)),
}));

describe("ArchiveWriter", () => {
  for (const [layout, gz] of [
    ["json", ""],
    ["ndjson", ""],
    ["json", ".gz"],
    ["ndjson", ".gz"],
  ] as const) {
    it(`writes every record of a ${layout}${gz} archive many chunks long, in order, under its checksum`, async () => {
      const path = tmp.path(`big.${layout}${gz}`);
      const writer = await ArchiveWriter.open(path, layout, { apiVersion: "1.2", exportedAt: "2026-12-05T00:00:00Z" });
      for (const agent of agents) await writer.write("agents", agent);
      const written = await writer.finish();
      const file = await readFile(path);
      // A .gz target is compressed (RFC 1952's magic bytes), and what it holds is the archive itself.
      expect(file[0] === 0x1f && file[1] === 0x8b).toBe(gz === ".gz");
      const text = (gz ? gunzipSync(file) : file).toString("utf8");
      expect(written.bytes).toBeGreaterThan(8 * 1024 * 1024);

      const lines = text.split("\n").filter(Boolean);
      const records =
        layout === "json"
          ? (JSON.parse(text) as { agents: unknown[] }).agents
          : lines.filter((l) => l.includes('"kind":"agent"')).map((l) => (JSON.parse(l) as { data: unknown }).data);
      expect(records).toEqual(agents);

      // The checksum covers every byte before it: the JSON archive's text up to `,"checksum"`, or the NDJSON records.
      const covered =
        layout === "json" ? text.slice(0, text.lastIndexOf(',"checksum"')) : `${lines.slice(0, -1).join("\n")}\n`;
      expect(written.checksum).toBe(`sha256:${createHash("sha256").update(covered).digest("hex")}`);
      expect(written.bytes).toBe(Buffer.byteLength(text));

      const reader = new ArchiveReader({ path, name: "big" });
      let n = 0;
      for await (const record of reader.records()) expect(record.data).toEqual(agents[n++]);
      expect(n).toBe(agents.length);
      expect(reader.info).toMatchObject({ layout, checksum: "verified", counts: { agents: agents.length } });
    });
  }

  it.skipIf(process.getuid?.() !== 0)(
    "a full disk under a .gz target fails the export, named, and leaves no file",
    async () => {
      const dir = tmp.path("full");
      await mkdir(dir);
      const full = join(dir, "archive.json.gz");
      execFileSync("mknod", [full, "c", "1", "7"]); // /dev/full's numbers: every write is ENOSPC
      const writer = await ArchiveWriter.open(full, "json", { apiVersion: "1.2" });
      const failure = await (async () => {
        for (const agent of agents) await writer.write("agents", agent);
        await writer.finish();
      })().then(
        () => undefined,
        (e: unknown) => e,
      );
      await writer.abort();
      expect(failure).toBeInstanceOf(CliError);
      expect((failure as Error).message).toBe(`--out ${full}: no space left on device (ENOSPC)`);
      expect(await readdir(dir)).toEqual(["archive.json.gz"]);
    },
  );
});

describe("ArchiveWriter and ids twice in one kind", () => {
  it("refuses them once the file is read back, naming each, and leaves no file; one id in two kinds is no repeat", async () => {
    const dir = tmp.path("twice");
    await mkdir(dir);
    const path = join(dir, "twice.ndjson");
    const writer = await ArchiveWriter.open(path, "ndjson", { apiVersion: "1.2" });
    for (const id of ["a", "b", "a", "c", "b"]) await writer.write("agents", { id, name: id });
    // The same ids in another kind, after the first: ids are unique within a kind only.
    for (const id of ["a", "b"]) await writer.write("memories", { id, content: id });
    const failure = await writer.finish().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(CliError);
    expect((failure as Error).message).toMatch(
      /^2 objects come twice in one kind of what the server sent \(agents "a": agents\[0\] and agents\[2\]; agents "b": agents\[1\] and agents\[4\]\): .*; nothing was written\. Run it again/,
    );
    expect(await readdir(dir)).toEqual([]);

    const once = join(dir, "once.ndjson");
    const fine = await ArchiveWriter.open(once, "ndjson", { apiVersion: "1.2" });
    for (const id of ["a", "b"]) await fine.write("agents", { id, name: id });
    for (const id of ["a", "b"]) await fine.write("memories", { id, content: id });
    expect((await fine.finish()).counts).toMatchObject({ agents: 2, memories: 2 });
    expect(await readdir(dir)).toEqual(["once.ndjson"]);
  });
});

describe("ArchiveWriter and kinds without records", () => {
  it("writes those finish is given, empty; the header's kinds are checked before the file is opened, not written", async () => {
    const path = tmp.path("empty-kinds.json");
    const header = { apiVersion: "1.2", kinds: ["agents", "policies"] } as const;
    const writer = await ArchiveWriter.open(path, "json", header);
    await writer.write("agents", agents[0]);
    expect((await writer.finish(["agents", "workflows"])).counts).toMatchObject({ agents: 1, workflows: 0 });
    const doc = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    expect(doc.workflows).toEqual([]);
    expect(doc).not.toHaveProperty("policies");

    const refused = tmp.path("people.ndjson");
    await expect(ArchiveWriter.open(refused, "ndjson", { apiVersion: "1.2", kinds: ["people"] })).rejects.toThrow(
      /^--out .*people\.ndjson: the kind "people" cannot be written as NDJSON: .*; nothing was written$/,
    );
    expect(await readdir(tmp.dir)).not.toContain("people.ndjson");
  });
});

describe("ArchiveReader on gzip", () => {
  it("names a damaged or cut compressed file as such", async () => {
    const path = tmp.path("small.json.gz");
    const writer = await ArchiveWriter.open(path, "json", { apiVersion: "1.2" });
    for (const agent of agents.slice(0, 2000)) await writer.write("agents", agent);
    await writer.finish();
    const whole = await readFile(path);
    const read = async (bytes: Buffer) => {
      await writeFile(tmp.path("bad.json.gz"), bytes);
      const reader = new ArchiveReader({ path: tmp.path("bad.json.gz"), name: "bad.json.gz" });
      for await (const _ of reader.records());
    };
    // Cut before its end (the gzip trailer holds a CRC and the length): the archive inside may look whole.
    await expect(read(whole.subarray(0, whole.length - 4))).rejects.toThrow(
      /^bad\.json\.gz: gzip: the compressed data is damaged or cut short \(Z_BUF_ERROR: unexpected end of file\)$/,
    );
    // Bytes after the compressed stream (not another gzip member); and the same in a file small enough
    // to be inflated whole on the first read.
    const junk = Buffer.from("JUNKJUNKJUNK");
    await expect(read(Buffer.concat([whole, junk]))).rejects.toThrow(/^bad\.json\.gz: gzip: .*Z_DATA_ERROR/);
    const tiny = tmp.path("tiny.json.gz");
    const small = await ArchiveWriter.open(tiny, "json", { apiVersion: "1.2" });
    await small.write("agents", agents[0]);
    await small.finish();
    await expect(read(Buffer.concat([await readFile(tiny), junk]))).rejects.toThrow(
      /^bad\.json\.gz: gzip: .*Z_DATA_ERROR/,
    );
    // A wrong CRC: every byte of the archive inside reads well, yet the file is not what was written.
    const flipped = Buffer.from(whole);
    flipped[whole.length - 8]! ^= 0xff;
    await expect(read(flipped)).rejects.toThrow(
      /^bad\.json\.gz: gzip: the compressed data is damaged or cut short \(Z_DATA_ERROR: incorrect data check\)$/,
    );
  });
});
