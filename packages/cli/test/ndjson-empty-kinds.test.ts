/**
 * An NDJSON archive holds no lines of a kind the account had none of; its end line counts it 0, where a JSON archive
 * writes an empty array. The reader took the kinds from the lines alone, so `restore --prune` of an NDJSON backup
 * kept what was made since in such a kind (it counted the kind as one the backup does not cover), and `upgrade`
 * dropped a newer server's such kind. Real processes against the mock.
 */
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, expect, it } from "vitest";
import { ResonantClient } from "@resonantgenesis/sdk";
import { DEMO_API_KEY, seededCli } from "./helpers.js";

const { mock, tmp, cli, close } = await seededCli({ agents: 2, memories: 1 });
afterAll(close);

/** The account exported as NDJSON to `name`, its end line counting `more` too (the checksum covers the records alone). */
async function exportCounting(name: string, more: Record<string, number>): Promise<void> {
  expect((await cli(["export", "--out", `plain-${name}`])).code).toBe(0);
  const lines = (await readFile(tmp.path(`plain-${name}`), "utf8")).trimEnd().split("\n");
  const end = JSON.parse(lines.pop()!) as { counts: Record<string, number> };
  lines.push(JSON.stringify({ ...end, counts: { ...end.counts, ...more } }));
  await writeFile(tmp.path(name), `${lines.join("\n")}\n`);
}

it("restore --prune of an NDJSON backup deletes what was made since in a kind the backup held none of", async () => {
  expect((await cli(["export", "--out", "backup.ndjson"])).code).toBe(0);
  const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL: mock.baseURL, logLevel: "off" });
  const agents = await client.agents.list().toArray();
  await client.teams.create({ name: "made since", agent_ids: [agents[0]!.id] });
  const restored = await cli(["restore", "backup.ndjson", "--prune", "--yes"]);
  expect(restored.code, restored.stderr).toBe(0);
  expect(await client.teams.list().toArray()).toEqual([]);
  expect(await client.agents.list().toArray()).toEqual(agents);
});

it("upgrade from NDJSON to JSON keeps a newer server's kind its end line counts 0, as an empty array", async () => {
  await exportCounting("evolved.ndjson", { policies: 0 });
  const upgraded = await cli(["upgrade", "evolved.ndjson", "--to", "1.2", "--out", "evolved.json"]);
  expect(upgraded.code, upgraded.stderr).toBe(0);
  const doc = JSON.parse(await readFile(tmp.path("evolved.json"), "utf8")) as Record<string, unknown>;
  expect(doc.policies).toEqual([]);
  expect(doc.counts).toMatchObject({ agents: 2, memories: 1, policies: 0 });
});

it("a name counted 0 that no NDJSON line could carry is no kind of the archive: upgrade to NDJSON still writes it", async () => {
  await exportCounting("people.ndjson", { people: 0 });
  const upgraded = await cli(["upgrade", "people.ndjson", "--to", "1.2", "--out", "people-out.ndjson"]);
  expect(upgraded.code, upgraded.stderr).toBe(0);
});
