/**
 * One id twice in one kind of an archive: refused by every command that
 * reads an archive (exit 1, the file, both places, the kind and the id),
 * before anything is sent. Before, import sent both, and verify called the
 * object "changed". The same id in two kinds is no repeat.
 */
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { FingerprintSet } from "../src/archive/id-set.js";
import { objectKey } from "../src/archive/format.js";
import { confirmRepeats } from "../src/archive/repeated-ids.js";
import { exportedAccount } from "./helpers.js";

// Made while the file is collected (top-level await), closed after its tests.
const { mock, tmp, cli, archive, close } = await exportedAccount({ agents: 5, sessions: 3 }, "a.json");
afterAll(() => close());

type Doc = Record<string, unknown> & { agents: { id: string; name: string }[] };

/** The account's archive with agents[1] again at the end of its kind, renamed; counts and checksum dropped. */
async function withRepeat(): Promise<{ file: string; doc: Doc; text: string }> {
  const doc = JSON.parse(await readFile(archive, "utf8")) as Doc;
  doc.agents.push({ ...doc.agents[1]!, name: "the same id, other content" });
  delete doc.counts;
  delete doc.checksum;
  const text = JSON.stringify(doc);
  const file = tmp.path("repeat.json");
  await writeFile(file, text);
  return { file, doc, text };
}

describe("an id twice in one kind", () => {
  it("import, verify, restore and upgrade refuse it with both places, the kind and the id; nothing is sent", async () => {
    const { file, doc, text } = await withRepeat();
    const id = doc.agents[1]!.id;
    const bytesTo = (index: number) => Buffer.byteLength(text.slice(0, index));
    const first = text.indexOf(`{"id":"${id}"`);
    const firstAt = bytesTo(first);
    const againAt = bytesTo(text.indexOf(`{"id":"${id}"`, first + 1));
    const sent = mock.imports().length;
    for (const args of [
      ["import", file],
      ["verify", file],
      ["restore", file, "--yes"],
      ["upgrade", file, "--out", "-"],
    ]) {
      const run = await cli(args, { env: { RESONANT_API_KEY: mock.api.createAccount().key } });
      expect(run.code, `${args[0]}: ${run.stderr}`).toBe(1);
      expect(run.stderr).toBe(
        `resonant: ${file}: 1 record: an id comes twice in one kind; an archive holds each object once, and nothing was sent:\n  agents[5] (byte ${againAt}): the id "${id}" again (first at agents[1] (byte ${firstAt}))\n`,
      );
    }
    expect(mock.imports().length).toBe(sent);
  });

  it("NDJSON: named by line", async () => {
    const nd = tmp.path("a.ndjson");
    expect((await cli(["upgrade", archive, "--out", nd])).code).toBe(0);
    const lines = (await readFile(nd, "utf8")).trimEnd().split("\n");
    const end = JSON.parse(lines.pop()!) as Record<string, unknown>;
    delete end.counts;
    delete end.checksum;
    const agentLines = lines.flatMap((line, i) => (line.startsWith('{"kind":"agent"') ? [i] : []));
    lines.splice(agentLines.at(-1)! + 1, 0, lines[agentLines[0]!]!);
    await writeFile(nd, `${[...lines, JSON.stringify(end)].join("\n")}\n`);
    const run = await cli(["import", nd, "--dry-run"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `line ${agentLines.at(-1)! + 2} \\(agents\\[5\\]\\): the id "[^"]+" again \\(first at line ${agentLines[0]! + 1} \\(agents\\[0\\]\\)\\)`,
      ),
    );
  });

  it("the same id in two kinds is no repeat", async () => {
    const doc = JSON.parse(await readFile(archive, "utf8")) as Doc & { sessions: { id: string }[] };
    doc.sessions[0]!.id = doc.agents[0]!.id;
    delete doc.counts;
    delete doc.checksum;
    const file = tmp.path("two-kinds.json");
    await writeFile(file, JSON.stringify(doc));
    const run = await cli(["upgrade", file, "--out", tmp.path("two-kinds-up.json")]);
    expect(run.code, run.stderr).toBe(0);
  });
});

describe("confirmRepeats", () => {
  it("confirms a suspect on the ids themselves: one that comes once (a shared fingerprint) is no repeat", async () => {
    const { file, doc } = await withRepeat();
    const [once, twice] = [doc.agents[0]!.id, doc.agents[1]!.id];
    const input = { path: file, name: "repeat.json" };
    expect(await confirmRepeats(input, new Set([objectKey("agents", once)]))).toEqual({ count: 0, repeats: [] });
    const { count, repeats } = await confirmRepeats(
      input,
      new Set([objectKey("agents", once), objectKey("agents", twice)]),
    );
    expect(count).toBe(1);
    expect(repeats.map(({ record, first }) => [record.kind, record.index, first.index])).toEqual([["agents", 5, 1]]);
  });
});

describe("FingerprintSet", () => {
  it("tells a string seen before from 300,000 distinct ones, through every growth", () => {
    const set = new FingerprintSet();
    let added = 0;
    for (let i = 0; i < 300_000; i++) if (set.add(`agents\u0000${i.toString(36)}-id`)) added++;
    expect(added).toBe(300_000);
    let again = 0;
    for (let i = 0; i < 300_000; i += 997) if (set.add(`agents\u0000${i.toString(36)}-id`)) again++;
    expect(again).toBe(0);
    expect(set.add("")).toBe(true);
    expect(set.add("")).toBe(false);
  });
});
