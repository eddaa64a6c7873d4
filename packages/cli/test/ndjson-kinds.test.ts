/**
 * A newer server's top-level kind through an NDJSON archive: the writer names
 * each line's kind and the reader names the kind back by one rule
 * (`recordKindOf` / `archiveKeyOf`), so every kind written as NDJSON comes back
 * under its own name (JSON -> NDJSON -> JSON gives the kind as it was), and a
 * kind that no line could name back ("x", "people", "data": not ending in "s")
 * is refused before anything is written, pointing to --format json. Real processes.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { ARCHIVE_HEAD as HEAD, ONE_AGENT as AGENT } from "./archive-fixtures.js";
import { runCli, tempDir } from "./helpers.js";

const tmp = await tempDir();
afterAll(() => tmp.remove());

/** A JSON archive with one agent and one record of the newer kind `kind`, written; its path and an NDJSON path beside it. */
async function archiveWith(kind: string): Promise<{ json: string; ndjson: string }> {
  const json = tmp.path(`${kind}.json`);
  await writeFile(
    json,
    `${HEAD},"agents":[${AGENT}],${JSON.stringify(kind)}:[{"id":"id-${kind}","object":"thing","n":12345678901234567890}]}\n`,
  );
  return { json, ndjson: tmp.path(`${kind}.ndjson`) };
}

describe("a newer server's kind, JSON -> NDJSON -> JSON", () => {
  it.each([
    ["policies", "policie"],
    ["analyses", "analyse"],
    ["workflows", "workflow"],
    ["constructors", "constructor"],
  ])("%s comes back under its own name, its record byte for byte", async (kind, line) => {
    const { json, ndjson } = await archiveWith(kind);
    const back = tmp.path(`${kind}-back.json`);
    const written = await runCli(["upgrade", json, "--format", "ndjson", "--out", ndjson, "--quiet"]);
    expect(written.code, written.stderr).toBe(0);
    const lines = (await readFile(ndjson, "utf8")).trimEnd().split("\n");
    expect(lines[1]).toBe(`{"kind":"${line}","data":{"id":"id-${kind}","object":"thing","n":12345678901234567890}}`);
    expect(JSON.parse(lines.at(-1)!).counts).toEqual({
      agents: 1,
      [kind]: 1,
      tools: 0,
      teams: 0,
      sessions: 0,
      memories: 0,
      triggers: 0,
      webhooks: 0,
    });
    const read = await runCli(["upgrade", ndjson, "--format", "json", "--out", back, "--quiet"]);
    expect(read.code, read.stderr).toBe(0);
    const text = await readFile(back, "utf8");
    expect(text).toContain(`${JSON.stringify(kind)}:[\n{"id":"id-${kind}","object":"thing","n":12345678901234567890}]`);
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(doc.counts).toMatchObject({ agents: 1, [kind]: 1 });
    expect(Object.keys(doc).filter((key) => key.startsWith(kind.slice(0, 3)))).toEqual([kind]);
  });

  it.each([
    ["x", 'its name must end in "s"'],
    ["people", 'its name must end in "s"'],
    ["data", 'its name must end in "s"'],
    ["ends", 'its records would be "end" lines'],
    ["memorys", 'its records would be "memory" lines, which are the records of memories'],
  ])("%s is refused before anything is written, pointing to JSON", async (kind, why) => {
    const { json, ndjson } = await archiveWith(kind);
    const run = await runCli(["upgrade", json, "--format", "ndjson", "--out", ndjson]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^resonant: --out \\S+: the kind "${kind}" cannot be written as NDJSON: `));
    expect(run.stderr).toContain(why);
    expect(run.stderr).toContain(
      "; write JSON (--format json), which keeps every kind under its own name; nothing was written\n",
    );
    expect(run.stdout).toBe("");
    expect(existsSync(ndjson)).toBe(false);
    // To standard output too: not a byte.
    const piped = await runCli(["upgrade", json, "--format", "ndjson", "--out", "-"]);
    expect(piped.code).toBe(1);
    expect(piped.stdout).toBe("");
    // As JSON, the kind is kept as it was.
    const kept = await runCli(["upgrade", json, "--out", "-", "--quiet"]);
    expect(kept.code, kept.stderr).toBe(0);
    expect((JSON.parse(kept.stdout) as Record<string, unknown[]>)[kind]).toHaveLength(1);
  });

  it("an NDJSON line whose kind would read as a known kind's is refused where it stands", async () => {
    const file = tmp.path("memorie.ndjson");
    await writeFile(
      file,
      `{"kind":"memorie","data":{"id":"m1"}}\n{"kind":"end","counts":{"memories":1},"format":"resonantgenesis.export","format_version":1,"api_version":"1.2"}\n`,
    );
    const run = await runCli(["upgrade", file, "--out", "-"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `resonant: ${file}: byte 0: line 1: "memorie" records would be the archive's "memories", whose records are "memory" lines\n`,
    );
  });
});
