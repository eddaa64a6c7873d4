/**
 * A newer server's kind whose plural is not its records' kind plus "s" (the evolved mock's `policies`, sent
 * as `policy` lines and named only by the export's end line) reaches the other account under the server's
 * name: export (JSON, NDJSON, gzip, standard output) then import, restore, upgrade and verify, and copy.
 * resonant named it `policys`, which an import sent to `/policys/import` (a 404) or left out of the account.
 * Real processes against the real mock.
 */
import { readFile, writeFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, DEMO_API_KEY, events, startCountingMock, tempDir, type CountingMock } from "./helpers.js";

let mock: CountingMock;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  mock = await startCountingMock({
    evolve: { kinds: ["workflows", "policies"] },
    seed: { tools: 1, agents: 3, teams: 1, sessions: 2, memories: 1, triggers: 1, webhooks: 1 },
  });
  tmp = await tempDir();
});
afterAll(async () => {
  await mock.close();
  await tmp.remove();
});

/** The objects of the evolved kind `kind` in the account of `key`, as its own export route answers them. */
async function objectsOf(kind: string, key: string): Promise<unknown[]> {
  const res = await fetch(`${mock.baseURL}/v1.2/${kind}/export`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as Record<string, unknown[]>)[kind]!;
}

const source = () => cliFor(mock, DEMO_API_KEY, tmp.dir);
/** A fresh account on the evolved server, and the CLI bound to it. */
const freshTarget = () => {
  const { key } = mock.api.createAccount();
  return { key, cli: cliFor(mock, key, tmp.dir) };
};
/** Writes `text` to the file `name`, imports it into a fresh account, and requires the source's policies there. */
async function importsEveryPolicy(name: string, text: string): Promise<void> {
  const file = tmp.path(name);
  await writeFile(file, text);
  const target = freshTarget();
  const imported = await target.cli(["import", file, "--quiet"]);
  expect(imported.code, imported.stdout + imported.stderr).toBe(0);
  expect(await objectsOf("policies", target.key)).toEqual(await objectsOf("policies", DEMO_API_KEY));
}

/** The warnings of a `--json` run that speak of kind names. */
const warningsOf = (stdout: string) =>
  events(stdout).filter((e) => e.event === "warning" && String(e.message).includes("end line"));

describe.each([
  ["json", "names.json"],
  ["ndjson", "names.ndjson"],
  ["json", "names.json.gz"],
  ["ndjson", "names.ndjson.gz"],
])("export --format %s to %s", (format, name) => {
  it("holds the server's name, and an import, a verify and an upgrade carry every policy", async () => {
    const file = tmp.path(name);
    const exported = await source()(["--json", "export", "--format", format, "--out", file]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(warningsOf(exported.stdout)).toEqual([]);
    const bytes = await readFile(file);
    const text = (name.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
    expect(text).not.toContain("policys");
    if (format === "json") {
      const doc = JSON.parse(text) as Record<string, unknown>;
      expect(doc.policies).toHaveLength(2);
      expect(doc.counts).toMatchObject({ policies: 2, workflows: 2 });
    } else {
      const lines = text.trimEnd().split("\n");
      // Each line as the server sent it; the end line names the kind.
      expect(lines.filter((line) => line.startsWith('{"kind":"policy","data":'))).toHaveLength(2);
      expect(JSON.parse(lines.at(-1)!).counts).toMatchObject({ policies: 2, workflows: 2 });
    }
    const expected = await objectsOf("policies", DEMO_API_KEY);
    expect(expected).toHaveLength(2);

    const target = freshTarget();
    const imported = await target.cli(["import", file, "--quiet"]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(await objectsOf("policies", target.key)).toEqual(expected);
    expect(await objectsOf("workflows", target.key)).toEqual(await objectsOf("workflows", DEMO_API_KEY));
    const verified = await target.cli(["verify", file, "--json"]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(events(verified.stdout).at(-1)).toMatchObject({ identical: true, missing: [], changed: [], extra: [] });

    // Rewritten in the other layout and back, the kind keeps its name.
    const other = tmp.path(`upgraded-${name}.${format === "json" ? "ndjson" : "json"}`);
    const upgraded = await source()([
      "upgrade",
      file,
      "--format",
      format === "json" ? "ndjson" : "json",
      "--out",
      other,
    ]);
    expect(upgraded.code, upgraded.stderr).toBe(0);
    const restored = freshTarget();
    const restoring = await restored.cli(["restore", other, "--yes", "--quiet"]);
    expect(restoring.code, restoring.stdout + restoring.stderr).toBe(0);
    expect(await objectsOf("policies", restored.key)).toEqual(expected);
  });
});

describe("upgrade from NDJSON to NDJSON", () => {
  it("writes the policy lines as the server named them, not the rule's policie", async () => {
    const file = tmp.path("lines.ndjson");
    expect((await source()(["export", "--format", "ndjson", "--out", file, "--quiet"])).code).toBe(0);
    const out = tmp.path("lines-upgraded.ndjson");
    const upgraded = await source()(["upgrade", file, "--format", "ndjson", "--out", out]);
    expect(upgraded.code, upgraded.stderr).toBe(0);
    const kinds = (text: string) =>
      text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line).kind as string);
    expect(kinds(await readFile(out, "utf8"))).toEqual(kinds(await readFile(file, "utf8")));
  });
});

describe("export to standard output", () => {
  it.each(["json", "ndjson"])("%s: the server's name, and the archive imports whole", async (format) => {
    const exported = await source()(["export", "--format", format, "--out", "-"]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).not.toContain("policys");
    await importsEveryPolicy(`stdout.${format}`, exported.stdout);
  });
});

describe("the server's own NDJSON export, read as an archive", () => {
  it("its policy lines are the policies its end line counts", async () => {
    const res = await fetch(`${mock.baseURL}/v1.2/data/export`, {
      headers: { authorization: `Bearer ${DEMO_API_KEY}`, accept: "application/x-ndjson" },
    });
    await importsEveryPolicy("server.ndjson", await res.text());
  });

  it("an end line longer than one backward read (a field a newer server added) still names them", async () => {
    const res = await fetch(`${mock.baseURL}/v1.2/data/export`, {
      headers: { authorization: `Bearer ${DEMO_API_KEY}`, accept: "application/x-ndjson" },
    });
    const lines = (await res.text()).trimEnd().split("\n");
    const end = JSON.parse(lines.pop()!) as Record<string, unknown>;
    lines.push(JSON.stringify({ ...end, note: "x".repeat(200 * 1024) }));
    await importsEveryPolicy("long-end.ndjson", `${lines.join("\n")}\n`);
  });
});

describe("copy", () => {
  it("sends the policies to the server's /policies/import", async () => {
    const target = freshTarget();
    const copied = await source()([
      "--json",
      "copy",
      "--to-key",
      target.key,
      "--checkpoint",
      tmp.path("copy.checkpoint"),
    ]);
    expect(copied.code, copied.stdout + copied.stderr).toBe(0);
    expect(warningsOf(copied.stdout)).toEqual([]);
    expect(await objectsOf("policies", target.key)).toEqual(await objectsOf("policies", DEMO_API_KEY));
    expect(await objectsOf("workflows", target.key)).toEqual(await objectsOf("workflows", DEMO_API_KEY));
    const file = tmp.path("copied.json");
    expect((await source()(["export", "--out", file, "--quiet"])).code).toBe(0);
    const verified = await target.cli(["verify", file, "--quiet"]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });
});
