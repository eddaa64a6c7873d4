/**
 * Every command and every exit code, run as a real `resonant` process
 * against a real mock server on 127.0.0.1.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { events, exportedAccount } from "./helpers.js";

const SEED = { tools: 3, agents: 25, teams: 2, sessions: 12, memories: 15, triggers: 3, webhooks: 2 };
const TOTAL = Object.values(SEED).reduce((a, b) => a + b, 0);

const { mock, tmp, cli, archive, close } = await exportedAccount(SEED, "backup.json");
afterAll(() => close());

const newAccount = () => mock.api.createAccount().key;
/** An agent made behind the CLI's back (after a backup), straight through the API. */
const addAgent = async (key: string): Promise<{ id: string }> =>
  (await (
    await fetch(`${mock.baseURL}/v1.2/agents`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "added", model: "gpt-4-turbo", system_prompt: "" }),
    })
  ).json()) as { id: string };

describe("export", () => {
  it("writes the archive with per-kind counts and a checksum", async () => {
    const doc = JSON.parse(await readFile(archive, "utf8")) as Record<string, unknown>;
    expect(doc.format).toBe("resonantgenesis.export");
    expect(doc.format_version).toBe(1);
    expect(doc.api_version).toBe("1.2");
    expect(doc.counts).toEqual(SEED);
    expect(doc.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((doc.agents as unknown[]).length).toBe(25);
    // Exports never carry a webhook or trigger secret.
    for (const w of [...(doc.webhooks as object[]), ...(doc.triggers as object[])])
      expect(w).not.toHaveProperty("secret");
    expect(JSON.stringify(doc)).not.toMatch(/whsec_/);
  });

  it("summarises what it exported, not import columns that are always 0", async () => {
    const run = await cli(["export", "--out", tmp.path("summary.json")]);
    expect(run.code, run.stderr).toBe(0);
    const table = run.stdout.slice(run.stdout.indexOf("kind "));
    expect(table.split("\n")[0]).toMatch(/^kind +exported$/);
    expect(table).toMatch(/^agents +25$/m);
    expect(table).toMatch(new RegExp(`^total +${Object.values(SEED).reduce((a, b) => a + b, 0)}$`, "m"));
  });

  it("writes NDJSON to stdout with -, the end line last", async () => {
    const run = await cli(["export", "--format", "ndjson", "--out", "-", "--quiet"]);
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { kind: string; counts?: unknown; checksum?: string });
    expect(lines).toHaveLength(TOTAL + 1);
    expect(lines[0]!.kind).toBe("tool");
    expect(lines.at(-1)).toMatchObject({ kind: "end", counts: SEED, api_version: "1.2" });
    expect(lines.at(-1)!.checksum).toMatch(/^sha256:/);
    expect(run.stderr).toBe("");
  });

  it("--json: one event a line, the summary last", async () => {
    const run = await cli(["export", "--out", tmp.path("j.json"), "--json"]);
    expect(run.code).toBe(0);
    const list = events(run.stdout);
    expect(list[0]).toMatchObject({ event: "start", command: "export" });
    expect(list.at(-1)).toMatchObject({ event: "summary", command: "export", counts: SEED });
    // Progress is an event per kind's end here (at most one per 10,000 records otherwise), not one per record.
    const progress = list.filter((e) => e.event === "progress");
    expect(progress.map((e) => `${String(e.kind)} ${String(e.done)}/${String(e.total)}`).sort()).toEqual(
      Object.entries(SEED)
        .map(([kind, n]) => `${kind} ${n}/${n}`)
        .sort(),
    );
  });

  it("upgrade keeps the input's layout unless --format or --out's name says otherwise (--out - and a bare name too)", async () => {
    const ndjson = tmp.path("layout.ndjson");
    expect((await cli(["export", "--out", ndjson, "--quiet"])).code).toBe(0);
    // An NDJSON archive's first line is a record; a JSON archive's starts with its header.
    const firstKind = (text: string) => /^\{"kind":"([^"]+)"/.exec(text)?.[1];
    // Standard output, whether by default or named `-`: NDJSON, as the input.
    for (const args of [[], ["--out", "-"]]) {
      const run = await cli(["upgrade", ndjson, ...args, "--quiet"]);
      expect(run.code, run.stderr).toBe(0);
      expect(firstKind(run.stdout), args.join(" ")).toBe("tool");
    }
    // A name that names no layout: as the input.
    const bare = tmp.path("layout-upgraded");
    expect((await cli(["upgrade", ndjson, "--out", bare, "--quiet"])).code).toBe(0);
    expect(firstKind(await readFile(bare, "utf8"))).toBe("tool");
    // A name that says JSON, or --format, wins over the input's layout.
    const named = tmp.path("layout-upgraded.json");
    expect((await cli(["upgrade", ndjson, "--out", named, "--quiet"])).code).toBe(0);
    expect(firstKind(await readFile(named, "utf8"))).toBeUndefined();
    expect(JSON.parse(await readFile(named, "utf8"))).toMatchObject({ counts: SEED });
    const forced = await cli(["upgrade", ndjson, "--out", "-", "--format", "json", "--quiet"]);
    expect(JSON.parse(forced.stdout)).toMatchObject({ counts: SEED });
  });

  it("fails with exit 1 and a clear message for a bad key, printing no key", async () => {
    const run = await cli(["export", "--out", tmp.path("x.json")], {
      env: { RESONANT_API_KEY: "rg_test_sk_nope_secret123" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^resonant: /m);
    expect(run.stdout + run.stderr).not.toContain("rg_test_sk_nope_secret123");
    await expect(stat(tmp.path("x.json"))).rejects.toThrow();
  });
});

describe("import and verify", () => {
  it("imports into a second account (exit 0), verify says identical (exit 0), a re-run skips everything", async () => {
    const key = newAccount();
    const run = await cli(["import", archive, "--json"], { env: { RESONANT_API_KEY: key } });
    expect(run.code, run.stderr).toBe(0);
    const summary = events(run.stdout).at(-1)!;
    expect(summary.event).toBe("summary");
    const created = (summary.kinds as { kind: string; created: number }[]).reduce((a, k) => a + k.created, 0);
    expect(created).toBe(TOTAL);
    await expect(stat(`${archive}.checkpoint`)).rejects.toThrow(); // removed on success

    const verify = await cli(["verify", archive], { env: { RESONANT_API_KEY: key } });
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/holds every object of the archive, unchanged/);

    const dry = await cli(["import", archive, "--dry-run"], { env: { RESONANT_API_KEY: key } });
    expect(dry.code).toBe(0);
    const again = await cli(["import", archive, "--json"], { env: { RESONANT_API_KEY: key } });
    expect(again.code).toBe(0);
    const kinds = events(again.stdout).at(-1)!.kinds as { skipped: number; created: number }[];
    expect(kinds.reduce((a, k) => a + k.skipped, 0)).toBe(TOTAL);
    expect(kinds.reduce((a, k) => a + k.created, 0)).toBe(0);
  });

  it("--dry-run prints the plan per kind and exits 3 when something would change, writing nothing", async () => {
    const key = newAccount();
    const before = mock.imports().length;
    const run = await cli(["import", archive, "--dry-run", "--json"], { env: { RESONANT_API_KEY: key } });
    expect(run.code).toBe(3);
    const plan = events(run.stdout).find((e) => e.event === "plan")!;
    expect(plan.kinds).toContainEqual({ kind: "agents", read: 25, create: 25, skip: 0, overwrite: 0, conflict: 0 });
    expect(mock.imports().length).toBe(before);
  });

  it("reads stdin with - and NDJSON archives", async () => {
    const key = newAccount();
    const nd = await cli(["export", "--format", "ndjson", "--quiet"]);
    const run = await cli(["import", "-"], { env: { RESONANT_API_KEY: key }, input: nd.stdout });
    expect(run.code, run.stderr).toBe(0);
    const verify = await cli(["verify", "-"], { env: { RESONANT_API_KEY: key }, input: nd.stdout });
    expect(verify.code).toBe(0);
  });

  it("writes a .gz archive compressed, and every command reads one by its bytes (a file, or stdin)", async () => {
    const gz = tmp.path("backup.ndjson.gz");
    const run = await cli(["export", "--out", gz, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const summary = events(run.stdout).at(-1)!;
    const inside = gunzipSync(await readFile(gz)).toString("utf8");
    // The layout from the name under .gz; the summary's checksum and bytes are the archive's inside.
    expect(summary).toMatchObject({ format: "ndjson", bytes: Buffer.byteLength(inside) });
    expect(JSON.parse(inside.trimEnd().split("\n").at(-1)!)).toMatchObject({ kind: "end", checksum: summary.checksum });

    const key = newAccount();
    const imported = await cli(["import", gz], { env: { RESONANT_API_KEY: key } });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`checked ${gz}: API 1.2, ${TOTAL} records, checksum verified`);
    const verify = await cli(["verify", "-"], { env: { RESONANT_API_KEY: key }, input: await readFile(gz) });
    expect(verify.code, verify.stderr).toBe(0);
    // Named .gz or not, a compressed file is read as one; an upgrade can write one too.
    const renamed = tmp.path("gz-without-its-name.json");
    await writeFile(renamed, await readFile(gz));
    const up = await cli(["upgrade", renamed, "--out", tmp.path("again.json.gz")]);
    expect(up.code, up.stderr).toBe(0);
    const again = JSON.parse(gunzipSync(await readFile(tmp.path("again.json.gz"))).toString("utf8")) as {
      counts: unknown;
    };
    expect(again.counts).toEqual(SEED); // JSON, as the name says, from the NDJSON inside
  });

  it("a refusal that ends the run (a bad key) names its request once, and no --resume, which would be refused alike", async () => {
    const file = tmp.path("fatal.json");
    await writeFile(file, await readFile(archive));
    const run = await cli(["import", file], { env: { RESONANT_API_KEY: "rg_test_sk_not_an_account" } });
    expect(run.code).toBe(1);
    const ids = run.stderr.match(/req_[A-Za-z0-9]+/g) ?? [];
    expect(ids.length, run.stderr).toBe(1);
    expect(run.stderr).toContain(`401 Unauthorized [api_key_invalid]`);
    expect(run.stderr).not.toContain("--resume");
  });

  it("a version past its sunset (410) ends the run with a hint naming the version to run with", async () => {
    mock.api.setVersionState("1.0", "gone");
    try {
      const run = await cli(["export", "--api-version", "1.0", "--out", tmp.path("gone.json")]);
      expect(run.code).toBe(1);
      const [error, hint] = run.stderr.trimEnd().split("\n").slice(-2);
      expect(error).toMatch(/^resonant: 410 Gone \[api_version_gone\]: /);
      await expect(stat(tmp.path("gone.json"))).rejects.toThrow(); // nothing half-written
      expect(hint).toBe(
        "hint: the server no longer serves API 1.0: run again with --api-version 1.2 (for copy's target, --to-api-version 1.2); archives of API 1.0 import into 1.2 as they are, and `resonant upgrade` converts them offline",
      );
      const json = await cli(["export", "--api-version", "1.0", "--json", "--out", tmp.path("gone.json")]);
      expect(events(json.stdout).at(-1)).toMatchObject({
        event: "error",
        exit_code: 1,
        hint: expect.stringMatching(/^the server no longer serves API 1\.0/),
      });
    } finally {
      mock.api.setVersionState("1.0", "deprecated");
    }
  });

  it("nothing listening at the base URL: a retry is announced only when one follows, then a hint", async () => {
    const closed = { RESONANT_BASE_URL: "http://127.0.0.1:9/api" }; // the discard port: nothing listens on loopback
    const once = await cli(["--max-retries", "0", "verify", archive], { env: closed });
    expect(once.code).toBe(1);
    expect(once.stderr).not.toMatch(/retrying/);
    expect(once.stderr).toMatch(/^resonant: Connection error: .*ECONNREFUSED 127\.0\.0\.1:9$/m);
    expect(once.stderr).toMatch(/^hint: no server answered: check --base-url \(or RESONANT_BASE_URL\)/m);
    const twice = await cli(["--max-retries", "1", "verify", archive], { env: closed });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(
      /^warning: retrying GET data\/export in [\d.]+ s \(retry 1 of 1\): Connection error: .*ECONNREFUSED/m,
    );
  });

  it("continues past refused items, logs them (no key), exits 2", async () => {
    const doc = JSON.parse(await readFile(archive, "utf8")) as Record<string, unknown[]>;
    // An archive from elsewhere (no counts, no checksum) whose sessions name an agent it lacks.
    const agentId = (doc.sessions![0] as { agent_id: string }).agent_id;
    doc.agents = doc.agents!.filter((a) => (a as { id: string }).id !== agentId);
    delete doc.counts;
    delete doc.checksum;
    const file = tmp.path("partial.json");
    await writeFile(file, JSON.stringify(doc));
    const key = newAccount();
    const failures = tmp.path("failures.ndjson");
    const run = await cli(["import", file, "--failures", failures], { env: { RESONANT_API_KEY: key } });
    expect(run.code, run.stderr).toBe(2);
    const lines = (await readFile(failures, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(["code", "id", "kind", "message", "request_id", "status"]);
      expect(line.code).toBe("agent_not_found");
      expect(line.request_id).toMatch(/^req_/);
    }
    expect(await readFile(failures, "utf8")).not.toContain(key);
    expect(run.stdout).toMatch(/sessions\s+\d+\s+\d+\s+0\s+[1-9]/);
  });

  it("verify exits 3 and lists what differs, --json as data", async () => {
    const key = newAccount();
    await cli(["import", archive, "--quiet"], { env: { RESONANT_API_KEY: key } });
    const doc = JSON.parse(await readFile(archive, "utf8")) as { agents: { id: string }[] };
    const res = await fetch(`${mock.baseURL}/v1.2/agents/${doc.agents[0]!.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "renamed" }),
    });
    expect(res.status).toBe(200);
    const run = await cli(["verify", archive, "--json"], { env: { RESONANT_API_KEY: key } });
    expect(run.code).toBe(3);
    const summary = events(run.stdout).at(-1)!;
    expect(summary.identical).toBe(false);
    expect(summary.changed).toEqual([
      { kind: "agents", id: doc.agents[0]!.id, fields: expect.arrayContaining(["name", "updated_at"]) },
    ]);
    const plain = await cli(["verify", archive], { env: { RESONANT_API_KEY: key } });
    expect(plain.code).toBe(3);
    expect(plain.stdout).toMatch(/changed in the account:\n\s+agents \S+ \(.*name/);
  });
});

describe("bad archives are refused before anything is sent (exit 1, file and position named)", () => {
  const cases: [string, (text: string) => string, RegExp][] = [
    ["truncated", (t) => t.slice(0, Math.floor(t.length / 2)), /truncated/],
    ["altered", (t) => t.replace('"agent-3"', '"agent-X"'), /checksum mismatch/],
    ["wrong format", (t) => t.replace('"resonantgenesis.export"', '"something.else"'), /not a ResonantGenesis archive/],
    ["wrong format version", (t) => t.replace('"format_version":1', '"format_version":2'), /format_version/],
    ["wrong version", (t) => t.replace('"api_version":"1.2"', '"api_version":"1.9"'), /api_version.*1\.9/],
    ["not JSON", () => "this is not an archive\n", /expected the archive to start with '\{'/],
    [
      "an invalid object",
      (t) =>
        JSON.stringify({
          ...JSON.parse(t),
          counts: undefined,
          checksum: undefined,
          agents: [{ id: "x", object: "agent", name: 5 }],
        }),
      /agents\[0\].*name/,
    ],
  ];
  for (const [name, damage, message] of cases) {
    it(name, async () => {
      const file = tmp.path(`bad-${name.replace(/\s/g, "-")}.json`);
      await writeFile(file, damage(await readFile(archive, "utf8")));
      const before = mock.seen.length;
      const run = await cli(["import", file], { env: { RESONANT_API_KEY: newAccount() } });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(file);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/byte \d+|record/);
      expect(mock.seen.length).toBe(before); // not one request
      const v = await cli(["verify", file]);
      expect(v.code).toBe(1);
    });
  }

  it("a truncated NDJSON archive", async () => {
    const nd = await cli(["export", "--format", "ndjson", "--quiet"]);
    const file = tmp.path("cut.ndjson");
    await writeFile(file, nd.stdout.split("\n").slice(0, 20).join("\n"));
    const run = await cli(["import", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cut.ndjson: .*without its "end" line/);
  });

  it("a usage error exits 1", async () => {
    const run = await cli(["import", archive, "--on-conflict", "maybe"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/maybe/);
  });
});

describe("restore", () => {
  it("rolls back edits, deletions and additions; --prune needs --yes off a terminal; --dry-run exits 3", async () => {
    const key = newAccount();
    mock.api.seed({ agents: 6, sessions: 3, memories: 4 }, { key });
    const backup = tmp.path("restore-backup.json");
    const env = { RESONANT_API_KEY: key };
    expect((await cli(["export", "--out", backup], { env })).code).toBe(0);
    const doc = JSON.parse(await readFile(backup, "utf8")) as { agents: { id: string }[]; memories: { id: string }[] };
    const h = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    await fetch(`${mock.baseURL}/v1.2/agents/${doc.agents[1]!.id}`, {
      method: "PATCH",
      headers: h,
      body: JSON.stringify({ description: "edited" }),
    });
    await fetch(`${mock.baseURL}/v1.2/memories/${doc.memories[0]!.id}`, { method: "DELETE", headers: h });
    const added = await addAgent(key);

    expect((await cli(["verify", backup], { env })).code).toBe(3);
    const dry = await cli(["restore", backup, "--dry-run", "--prune", "--json"], { env });
    expect(dry.code).toBe(3);
    const plan = events(dry.stdout).find((e) => e.event === "plan")!;
    expect(plan.kinds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "agents", create: 0, overwrite: 1, delete: 1 }),
        expect.objectContaining({ kind: "memories", create: 1 }),
      ]),
    );

    const refused = await cli(["restore", backup, "--prune"], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--yes/);

    const run = await cli(["restore", backup, "--prune", "--yes"], { env });
    expect(run.code, run.stderr).toBe(0);
    // The overwritten agent counts as imported, not created (the API's answer does not tell the two apart).
    expect(run.stdout).toMatch(/^kind +read +imported +skipped +failed$/m);
    expect(run.stdout).toMatch(/^agents +1 +1 +0 +0$/m);
    const after = await fetch(`${mock.baseURL}/v1.2/agents/${added.id}`, { headers: h });
    expect(after.status).toBe(404);
    const verify = await cli(["verify", backup, "--json"], { env });
    expect(verify.code).toBe(0);
    expect(events(verify.stdout).at(-1)!.extra).toEqual([]);
    const nothing = await cli(["restore", backup, "--dry-run"], { env });
    expect(nothing.code).toBe(0);
  });
});

describe("restore --prune of an older version's backup", () => {
  it("prunes the kinds the backup holds, and keeps those its version has not (teams, memories...)", async () => {
    const key = newAccount();
    mock.api.seed({ agents: 3, teams: 1, memories: 2 }, { key });
    const backup = tmp.path("backup-1.0.json");
    const env = { RESONANT_API_KEY: key };
    expect((await cli(["--api-version", "1.0", "export", "--out", backup], { env })).code).toBe(0);
    const h = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const added = await addAgent(key);
    const count = async (kind: string) =>
      ((await (await fetch(`${mock.baseURL}/v1.2/${kind}?limit=100`, { headers: h })).json()) as { data: unknown[] })
        .data.length;
    const teams = await count("teams");
    const memories = await count("memories");

    const run = await cli(["restore", backup, "--prune", "--yes"], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /kept, not pruned: .*teams, memories.*which the backup \(API 1\.0\) does not hold at all/,
    );
    expect((await fetch(`${mock.baseURL}/v1.2/agents/${added.id}`, { headers: h })).status).toBe(404);
    expect(await count("teams")).toBe(teams);
    expect(await count("memories")).toBe(memories);
  });
});
