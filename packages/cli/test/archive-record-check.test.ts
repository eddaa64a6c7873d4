/**
 * Each record of a known kind is checked against its version's schema, read compatibly, before anything is sent:
 * what a newer server may add passes (a field, an enum value), what breaks the version's own rules is named, with
 * its place and the words the SDK and the mock use ("must be a string, got number"; zod/mini alone said only
 * "Invalid input"), the first 20 of them. Words and places are written here, not read from the code that checks.
 */
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { exportedAccount } from "./helpers.js";

const { mock, tmp, cli, archive, close } = await exportedAccount({ agents: 3, sessions: 2, memories: 2 }, "a.json");
afterAll(() => close());

type Doc = Record<string, unknown> & Record<"agents" | "sessions" | "memories", Record<string, unknown>[]>;

/** The account's archive changed by `edit`, its counts and checksum dropped (they would name the change first). */
async function edited(name: string, edit: (doc: Doc) => void): Promise<{ file: string; text: string }> {
  const doc = JSON.parse(await readFile(archive, "utf8")) as Doc;
  edit(doc);
  delete doc.counts;
  delete doc.checksum;
  const text = JSON.stringify(doc);
  const file = tmp.path(name);
  await writeFile(file, text);
  return { file, text };
}

/** The byte offset of the record whose id is `id` in `text`. */
const byteOf = (text: string, id: unknown) =>
  Buffer.byteLength(text.slice(0, text.indexOf(`{"id":${JSON.stringify(id)}`)));

describe("an archive's records against their version's schema", () => {
  it("what a newer server may add passes: a field, an enum value", async () => {
    const { file } = await edited("newer.json", (doc) => {
      doc.agents[0]!.x_new_field = { nested: [1, 2] };
      doc.sessions[0]!.status = "paused_by_a_newer_server";
    });
    const run = await cli(["import", file, "--dry-run"], { env: { RESONANT_API_KEY: mock.api.createAccount().key } });
    expect(run.stderr).not.toContain("not valid");
    expect(run.code, run.stderr).toBe(3); // a plan with changes: the check passed
  });

  it("each broken record is named with its place and what is wrong; nothing is sent", async () => {
    let ids: unknown[] = [];
    const { file, text } = await edited("broken.json", (doc) => {
      doc.agents[1]!.name = 5;
      doc.memories[0]!.content = null;
      delete doc.sessions[1]!.agent_id;
      ids = [doc.agents[1]!.id, doc.sessions[1]!.id, doc.memories[0]!.id];
    });
    const sent = mock.seen.length;
    const run = await cli(["import", file], { env: { RESONANT_API_KEY: mock.api.createAccount().key } });
    expect(run.code).toBe(1);
    const [agent, session, memory] = ids.map((id) => byteOf(text, id));
    expect(run.stderr).toBe(
      `resonant: ${file}: 3 records: not valid API 1.2 objects; nothing was sent:\n` +
        `  agents[1] (byte ${agent}): name: must be a string, got number\n` +
        `  sessions[1] (byte ${session}): agent_id: is required\n` +
        `  memories[0] (byte ${memory}): content: must be a string, got null\n`,
    );
    expect(mock.seen.length).toBe(sent);
  });

  it("past 20 problems, the first 20 are shown and it says so", async () => {
    const { file } = await edited("many.json", (doc) => {
      for (let i = 0; i < 25; i++) doc.agents.push({ ...doc.agents[0]!, id: `bad-${i}`, name: i });
    });
    const run = await cli(["verify", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(": 20 or more records: not valid API 1.2 objects; nothing was sent:\n");
    expect(run.stderr.match(/: name: must be a string, got number\n/g)).toHaveLength(20);
    expect(run.stderr).toMatch(/agents\[22\] \(byte \d+\): name: .*\n {2}\(only the first 20 problems are shown\)\n$/);
  });

  it("counts records, not problems: one record with two problems is one record", async () => {
    const { file } = await edited("two-problems.json", (doc) => {
      doc.agents[1]!.name = 5;
      doc.agents[1]!.model = 7;
    });
    const run = await cli(["verify", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(": 1 record: not valid API 1.2 objects; nothing was sent:\n");
    expect(run.stderr.match(/agents\[1\] \(byte \d+\): /g)).toHaveLength(2);
  });
});
