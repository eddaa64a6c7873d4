/**
 * Top-level members that would be read as something they are not, or
 * written twice: a known kind that is not an array (`"agents": {}` read as
 * no agents, then upgraded to `"agents":{}` and `"agents":[]`), a name used
 * both as a member and as a kind, an array named like the archive's own
 * members, and an NDJSON end line whose member is named like a kind. Each
 * is refused, naming the file and the place, and `upgrade` writes nothing.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { ArchiveReader } from "../src/archive/reader.js";
import { ArchiveWriter } from "../src/archive/writer.js";
import { ARCHIVE_HEAD as HEAD, ONE_AGENT as AGENT } from "./archive-fixtures.js";
import { runCli, tempDir } from "./helpers.js";

const tmp = await tempDir();
afterAll(() => tmp.remove());

/** `resonant upgrade` of `content`, written as `name`: the run, and whether it wrote its output. */
async function upgradeOf(name: string, content: string, extra: string[] = []) {
  const file = tmp.path(name);
  const out = tmp.path(`up-${name}`);
  await writeFile(file, content);
  const run = await runCli(["upgrade", file, "--out", out, ...extra], { cwd: tmp.dir });
  return { run, wrote: existsSync(out) };
}

/** Reads `content` (written as `name`) to its end; answers the error it throws. */
async function readError(name: string, content: string): Promise<Error | undefined> {
  const path = tmp.path(name);
  await writeFile(path, content);
  try {
    for await (const _ of new ArchiveReader({ path, name }).records());
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

describe("a known kind that is not an array", () => {
  it.each(["{}", '"none"', "5", "null"])(
    "agents: %s is refused with the file and its byte; upgrade writes nothing",
    async (value) => {
      const content = `${HEAD},"agents":${value},"sessions":[]}\n`;
      const { run, wrote } = await upgradeOf("k.json", content);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toBe(
        `resonant: ${tmp.path("k.json")}: byte ${content.indexOf(value)} (line 1, column ${content.indexOf(value) + 1}): "agents" is a kind: it must be an array of records, not ${value}\n`,
      );
      expect(wrote).toBe(false);
    },
  );
});

describe("a top-level name written twice, or used for what it is not", () => {
  it("a member and a kind of one name (an unknown one) are a key written twice", async () => {
    const content = `${HEAD},"agents":[${AGENT}],"widgets":[{"id":"w"}],"widgets":{}}\n`;
    const error = await readError("twice.json", content);
    expect(error?.message).toMatch(/^twice\.json: byte \d+ .*: "widgets" appears twice$/);
    const reversed = `${HEAD},"widgets":{},"agents":[${AGENT}],"widgets":[{"id":"w"}]}\n`;
    expect((await readError("twice2.json", reversed))?.message).toMatch(/"widgets" appears twice$/);
  });

  it.each(["counts", "format", "exported_at"])("an array named %s is refused, not read as a kind", async (key) => {
    const content = `{"format":"resonantgenesis.export","format_version":1,"api_version":"1.2","agents":[],"${key}":[{"id":"x"}]}\n`;
    const error = await readError(`${key}.json`, content);
    expect(error?.message).toContain(`"${key}" `);
    expect(error?.message).toMatch(/appears twice|is the archive's own member, not a kind: it cannot be an array/);
  });

  it("NDJSON: an end line's member named like a kind, known or of the file, is refused with its line", async () => {
    const line = `{"kind":"agent","data":${AGENT}}\n{"kind":"widget","data":{"id":"w"}}\n`;
    const checksum = createHash("sha256").update(line).digest("hex");
    const end = (member: string) =>
      `{"kind":"end","format":"resonantgenesis.export","format_version":1,"api_version":"1.2",${member},"checksum":"sha256:${checksum}"}\n`;
    for (const member of ['"agents":{}', '"widgets":2']) {
      const { run, wrote } = await upgradeOf("e.ndjson", line + end(member), ["--format", "json"]);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(`byte ${line.length}: line 3: the "end" line's member "${member.split('"')[1]}"`);
      expect(wrote).toBe(false);
    }
  });

  it("NDJSON: records whose archive key would be the archive's own member are refused", async () => {
    const content = `{"kind":"count","data":{"id":"c"}}\n{"kind":"end","api_version":"1.2"}\n`;
    expect((await readError("c.ndjson", content))?.message).toBe(
      `c.ndjson: byte 0: line 1: count records would be the archive's "counts", which is its own member, not a kind`,
    );
  });
});

describe("the writer never names a top-level key twice", () => {
  it.each([
    ["json", "agents"],
    ["json", "counts"],
    ["ndjson", "kind"],
  ] as const)("%s: a carried member %s is refused before the file is made", async (layout, key) => {
    const out = tmp.path(`w-${key}.${layout}`);
    const opening = ArchiveWriter.open(out, layout, { apiVersion: "1.2", extra: { [key]: {} } });
    await expect(opening).rejects.toThrow(`--out ${out}: the archive's top-level member "${key}" cannot be carried`);
    expect(existsSync(out)).toBe(false);
  });

  it("a kind named like a carried member is refused", async () => {
    const writer = await ArchiveWriter.open(tmp.path("w.json"), "json", { apiVersion: "1.2", extra: { widgets: 1 } });
    expect(() => writer.write("widgets", { id: "w" })).toThrow(`the kind "widgets" cannot be written`);
    await writer.abort();
  });

  it('JSON to NDJSON: a top-level "kind" member is refused, naming --out and what to do', async () => {
    const { run, wrote } = await upgradeOf("kind.json", `${HEAD},"kind":"x","agents":[]}\n`, ["--format", "ndjson"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--out .*up-kind\.json: .*"kind" cannot be carried into NDJSON.*--format json/);
    expect(wrote).toBe(false);
  });
});

describe("a newer server's kind without records", () => {
  it.each(["json", "ndjson"])("is carried by upgrade to %s: an empty array, or a count of 0", async (format) => {
    const content = `${HEAD},"agents":[${AGENT}],"policies":[],"workflows":[{"id":"w1"}]}\n`;
    const { run, wrote } = await upgradeOf(`empty-kind-${format}.json`, content, ["--format", format]);
    expect(run.code, run.stderr).toBe(0);
    expect(wrote).toBe(true);
    const out = await readFile(tmp.path(`up-empty-kind-${format}.json`), "utf8");
    const read = new ArchiveReader({ path: tmp.path(`up-empty-kind-${format}.json`), name: "out" });
    const kinds: string[] = [];
    for await (const record of read.records()) kinds.push(record.kind);
    expect(kinds).toEqual(["agents", "workflows"]);
    const counts = (format === "json" ? JSON.parse(out) : JSON.parse(out.trimEnd().split("\n").at(-1)!)) as {
      counts: Record<string, number>;
      policies?: unknown;
    };
    expect(counts.counts).toMatchObject({ agents: 1, policies: 0, workflows: 1 });
    if (format === "json") expect(counts.policies).toEqual([]);
  });
});
