/**
 * Top-level names an archive may carry that are also names of every
 * JavaScript object's prototype: `constructor`, `toString`, `__proto__`.
 * They are members like any other (an unknown member is carried through),
 * so `upgrade` must read them as such and write each once, never call them
 * "twice", and a `__proto__` member must never lend its fields to the
 * archive's own (its `format` is not the archive's).
 */
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { ARCHIVE_HEAD as HEAD, ONE_AGENT as AGENT } from "./archive-fixtures.js";
import { cliFor, runCli, startCountingMock, tempDir } from "./helpers.js";

const tmp = await tempDir();
afterAll(() => tmp.remove());

/** `resonant upgrade` of `content`: the run and what it wrote (undefined when nothing). */
async function upgradeOf(name: string, content: string) {
  const file = tmp.path(name);
  const out = tmp.path(`up-${name}`);
  await writeFile(file, content);
  const run = await runCli(["upgrade", file, "--out", out], { cwd: tmp.dir });
  const wrote = await readFile(out, "utf8").catch(() => undefined);
  return { run, wrote };
}

describe("members named like a prototype's", () => {
  it.each(["constructor", "toString", "hasOwnProperty", "__proto__"])(
    "a member %s is carried through once, not refused as written twice",
    async (name) => {
      const content = `${HEAD},"${name}":{"a":1},"agents":[${AGENT}]}\n`;
      const { run, wrote } = await upgradeOf(`m-${name}.json`, content);
      expect(run.stderr).not.toContain("twice");
      expect(run.code, run.stderr).toBe(0);
      expect(wrote?.split(`"${name}":{"a":1}`).length).toBe(2); // once
    },
  );

  it.each(["constructor", "toString", "__proto__"])("a kind %s of unknown records keeps its records", async (name) => {
    const content = `${HEAD},"agents":[${AGENT}],"${name}":[{"id":"w1"},{"id":"w2"}]}\n`;
    const { run, wrote } = await upgradeOf(`k-${name}.json`, content);
    expect(run.code, run.stderr).toBe(0);
    expect(wrote).toContain(`"${name}":2`); // in the counts
    expect(wrote).toContain('{"id":"w2"}');
  });

  it("a __proto__ member's fields are not the archive's: its format does not stand for a missing one", async () => {
    const content = `{"__proto__":{"format":"resonantgenesis.export","format_version":1,"api_version":"1.2"},"agents":[${AGENT}]}\n`;
    const { run, wrote } = await upgradeOf("no-format.json", content);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no "format" member');
    expect(wrote).toBeUndefined();
  });
});

describe("kinds named like a prototype's, counted", () => {
  const content = `${HEAD},"agents":[${AGENT}],"constructor":[{"id":"w1"},{"id":"w2"}],"toString":[{"id":"t1"}]}\n`;

  it("upgrade counts each kind's records, not NaN", async () => {
    await writeFile(tmp.path("counted.json"), content);
    const run = await runCli(["--json", "upgrade", "counted.json", "--out", "up-counted.json"], { cwd: tmp.dir });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { kinds: { kind: string; read: number }[] };
    expect(summary.kinds.map(({ kind, read }) => [kind, read])).toEqual([
      ["agents", 1],
      ["constructor", 2],
      ["toString", 1],
    ]);
  });

  it("import counts the items the target refused, and so ends partial (exit 2), not done", async () => {
    const mock = await startCountingMock();
    try {
      await writeFile(tmp.path("refused.json"), content);
      const run = await cliFor(mock, undefined, tmp.dir)(["--json", "import", "refused.json"]);
      expect(run.code, run.stderr).toBe(2);
      const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as {
        kinds: { kind: string; read: number; failed: number }[];
      };
      expect(
        summary.kinds.filter((k) => k.kind !== "agents").map(({ kind, read, failed }) => [kind, read, failed]),
      ).toEqual([
        ["constructor", 2, 2],
        ["toString", 1, 1],
      ]);
    } finally {
      await mock.close();
    }
  });
});
