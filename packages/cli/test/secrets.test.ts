/**
 * `--secrets-out`: every webhook and trigger an import or a copy creates
 * gets a new secret on the target; the file receives each one (mode 0600),
 * the secret really signs for the target, and no secret reaches stdout,
 * stderr, a failure log or a checkpoint, through a lost answer, a crash and
 * a resume. Run as a real process against the mock server.
 */
import { createHmac } from "node:crypto";
import { readFile, stat, writeFile } from "node:fs/promises";
import { createMockApi } from "@resonantgenesis/mock";
import { startMockServer } from "@resonantgenesis/mock/server";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, events, exportedAccount } from "./helpers.js";

const SEED = { tools: 2, agents: 6, teams: 1, sessions: 3, memories: 2, triggers: 3, webhooks: 2 };

const { mock, tmp, cli, archive, close } = await exportedAccount(SEED, "backup.json");
afterAll(() => close());

interface Line {
  kind: string;
  id: string;
  secret: string | null;
}
const lines = async (file: string): Promise<Line[]> =>
  (await readFile(file, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
const archiveIds = async (kind: "webhooks" | "triggers"): Promise<string[]> =>
  ((JSON.parse(await readFile(archive, "utf8")) as Record<string, { id: string }[]>)[kind] ?? []).map((o) => o.id);
const createdObjects = async () =>
  [
    ...(await archiveIds("triggers")).map((id) => `triggers ${id}`),
    ...(await archiveIds("webhooks")).map((id) => `webhooks ${id}`),
  ].sort();

/** Calls the target's trigger the way a third party does: signed with `secret` (docs/protocol.md, API 1.2). */
async function fire(baseURL: string, id: string, secret: string): Promise<number> {
  const body = JSON.stringify({ topic: "secrets test" });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
  const response = await fetch(`${baseURL}/v1.2/triggers/${id}/fire`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Webhook-Timestamp": timestamp, "X-Webhook-Signature": signature },
    body,
  });
  return response.status;
}

describe("import --secrets-out", () => {
  it("receives every new secret (mode 0600), each one signs for the target, and none is printed", async () => {
    const key = mock.api.createAccount().key;
    const out = tmp.path("secrets-1.ndjson");
    const run = await cli(["import", archive, "--secrets-out", out], { env: { RESONANT_API_KEY: key } });
    expect(run.code, run.stderr).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const got = await lines(out);
    expect(got.map((l) => `${l.kind} ${l.id}`).sort()).toEqual(await createdObjects());
    for (const line of got) {
      expect(line.secret).toMatch(/^whsec_/);
      expect(line.secret).toBe(mock.api.webhookSecret(line.id, { key }));
      expect(run.stdout + run.stderr).not.toContain(line.secret!);
    }
    // Independent of the mock's accessor: the third party's signed call is taken with the new secret, refused with another.
    const trigger = got.find((l) => l.kind === "triggers")!;
    expect(await fire(mock.baseURL, trigger.id, trigger.secret!)).toBe(202);
    expect(await fire(mock.baseURL, trigger.id, "whsec_not_the_one")).toBe(401);
    expect(run.stdout + run.stderr).toContain(`their secrets are in ${out}`);
  });

  it("at the debug log level too, no secret and no key is printed", async () => {
    const key = mock.api.createAccount().key;
    const out = tmp.path("secrets-debug.ndjson");
    const run = await cli(["import", archive, "--secrets-out", out], {
      env: { RESONANT_API_KEY: key, RESONANT_LOG: "debug" },
    });
    expect(run.code, run.stderr).toBe(0);
    // The SDK's debug lines are there (so the level took effect)...
    expect(run.stdout + run.stderr).toMatch(/POST \S*webhooks\/import -> 200/);
    // ...and neither the key nor any of the new secrets is.
    for (const line of await lines(out)) expect(run.stdout + run.stderr).not.toContain(line.secret!);
    expect(run.stdout + run.stderr).not.toContain(key);
    expect(run.stdout + run.stderr).not.toMatch(/whsec_[A-Za-z0-9]/);
  });

  it("--json names the objects and counts the secrets, never their values", async () => {
    const key = mock.api.createAccount().key;
    const out = tmp.path("secrets-json.ndjson");
    const run = await cli(["import", archive, "--secrets-out", out, "--json"], { env: { RESONANT_API_KEY: key } });
    expect(run.code, run.stderr).toBe(0);
    const event = events(run.stdout).find((e) => e.event === "new_secrets")!;
    expect(event).toMatchObject({ file: out, received: 5, withheld: 0 });
    expect((event.objects as { kind: string; id: string }[]).map((o) => `${o.kind} ${o.id}`).sort()).toEqual(
      await createdObjects(),
    );
    expect(run.stdout + run.stderr).not.toMatch(/whsec_[A-Za-z0-9]/);
  });

  it("refuses a file that holds an earlier run's secrets, before sending anything", async () => {
    const out = tmp.path("secrets-kept.ndjson");
    await writeFile(out, '{"kind":"webhooks","id":"w1","secret":"whsec_earlier"}\n');
    const before = mock.imports().length;
    const run = await cli(["import", archive, "--secrets-out", out], {
      env: { RESONANT_API_KEY: mock.api.createAccount().key },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`--secrets-out ${out} exists`);
    expect(await readFile(out, "utf8")).toBe('{"kind":"webhooks","id":"w1","secret":"whsec_earlier"}\n');
    expect(mock.imports().length).toBe(before);
  });

  it("an overwrite or a skip makes no new secret, so the file stays empty", async () => {
    const key = mock.api.createAccount().key;
    expect((await cli(["import", archive], { env: { RESONANT_API_KEY: key } })).code).toBe(0);
    for (const mode of ["skip", "overwrite"]) {
      const out = tmp.path(`secrets-again-${mode}.ndjson`);
      const run = await cli(["import", archive, "--on-conflict", mode, "--secrets-out", out], {
        env: { RESONANT_API_KEY: key },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(await readFile(out, "utf8")).toBe("");
    }
  });

  it("without --secrets-out says the secrets were not kept", async () => {
    const run = await cli(["import", archive], { env: { RESONANT_API_KEY: mock.api.createAccount().key } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toContain("pass --secrets-out FILE to keep them");
    // Secrets not kept are lost for good: --quiet keeps the warning (and --json has it as a warning event).
    const quiet = await cli(["import", archive, "--quiet"], {
      env: { RESONANT_API_KEY: mock.api.createAccount().key },
    });
    expect(quiet.code, quiet.stderr).toBe(0);
    const said = /^warning: (\d+) webhook\/trigger object\(s\) got a new secret.*pass --secrets-out FILE/m.exec(
      quiet.stderr,
    );
    expect(said, quiet.stderr).not.toBeNull();
    // Each named, ids only: which to re-create is not a note --quiet hides.
    expect(quiet.stderr.match(/^ {2}(webhooks|triggers) [0-9a-f-]{36}$/gm)).toHaveLength(Number(said![1]));
    const json = await cli(["import", archive, "--json"], { env: { RESONANT_API_KEY: mock.api.createAccount().key } });
    const warning = events(json.stdout).find((e) => e.event === "warning");
    expect(warning?.message).toContain("their secrets were not kept");
  });

  it("keeps the secrets of an answer lost on the way back (the retry's replay holds them)", async () => {
    const key = mock.api.createAccount().key;
    const out = tmp.path("secrets-lost-answer.ndjson");
    let n = 0;
    // Every import call's answer is dropped once after the server did the work.
    mock.dropImport = () => (n++ % 2 === 0 ? "after" : undefined);
    const run = await cli(["import", archive, "--secrets-out", out], { env: { RESONANT_API_KEY: key } });
    mock.dropImport = undefined;
    expect(run.code, run.stderr).toBe(0);
    const got = await lines(out);
    expect(got.map((l) => `${l.kind} ${l.id}`).sort()).toEqual(await createdObjects());
    for (const line of got) expect(line.secret).toBe(mock.api.webhookSecret(line.id, { key }));
  });

  it("a crash leaves the secrets received so far in the file and none in the checkpoint; --resume appends the rest", async () => {
    const key = mock.api.createAccount().key;
    const out = tmp.path("secrets-crash.ndjson");
    const failures = tmp.path("secrets-crash.failures");
    // Triggers go in before webhooks: the webhooks' call never gets through, so the run ends there.
    const seen = mock.seen.length;
    mock.dropImport = () =>
      mock.seen.slice(seen).some((s) => s.batch?.startsWith("triggers:") && s.status === 200) ? "before" : undefined;
    const crashed = await cli(["import", archive, "--secrets-out", out, "--failures", failures, "--max-retries", "0"], {
      env: { RESONANT_API_KEY: key },
    });
    mock.dropImport = undefined;
    expect(crashed.code).toBe(1);
    const checkpoint = await readFile(`${archive}.checkpoint`, "utf8");
    expect(checkpoint).not.toMatch(/whsec_/);
    const early = await lines(out);
    expect(early.map((l) => l.kind)).toEqual(["triggers", "triggers", "triggers"]);
    for (const line of early) expect(checkpoint).toContain(line.id);

    const resumed = await cli(["import", archive, "--resume", "--secrets-out", out, "--failures", failures], {
      env: { RESONANT_API_KEY: key },
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    const all = await lines(out);
    expect(all.map((l) => `${l.kind} ${l.id}`).sort()).toEqual(await createdObjects());
    for (const line of all) expect(line.secret).toBe(mock.api.webhookSecret(line.id, { key }));
    for (const text of [
      crashed.stdout,
      crashed.stderr,
      resumed.stdout,
      resumed.stderr,
      await readFile(failures, "utf8").catch(() => ""),
    ])
      expect(text).not.toMatch(/whsec_[A-Za-z0-9]/);
  });
});

describe("tool headers, which exports mask", () => {
  it("the run names the tools sent with masked header values (text and --json), and none when the values are real", async () => {
    const tools =
      (JSON.parse(await readFile(archive, "utf8")) as { tools: { id: string; headers: object }[] }).tools ?? [];
    expect(tools.length).toBe(SEED.tools);
    expect(tools.every((t) => Object.values(t.headers).includes("***"))).toBe(true);
    const run = await cli(["import", archive, "--json"], { env: { RESONANT_API_KEY: mock.api.createAccount().key } });
    expect(run.code, run.stderr).toBe(0);
    const event = events(run.stdout).find((e) => e.event === "masked_headers")!;
    expect(event).toMatchObject({ kind: "tools" });
    expect([...(event.ids as string[])].sort()).toEqual(tools.map((t) => t.id).sort());
    const text = await cli(["import", archive], { env: { RESONANT_API_KEY: mock.api.createAccount().key } });
    expect(text.stdout + text.stderr).toContain(
      `${SEED.tools} tool(s) were sent with their header values masked ("***")`,
    );
    // An archive whose tools carry their values (written by hand) makes no such line.
    const real = JSON.parse(await readFile(archive, "utf8")) as Record<string, unknown>;
    delete real.counts;
    delete real.checksum;
    real.tools = tools.map((t) => ({ ...t, headers: { Authorization: "Bearer the-real-one" } }));
    await writeFile(tmp.path("real-headers.json"), JSON.stringify(real));
    const plain = await cli(["import", tmp.path("real-headers.json"), "--json"], {
      env: { RESONANT_API_KEY: mock.api.createAccount().key },
    });
    expect(plain.code, plain.stderr).toBe(0);
    expect(events(plain.stdout).some((e) => e.event === "masked_headers")).toBe(false);
  });
});

describe("copy --secrets-out", () => {
  it("receives the target's new secrets", async () => {
    const target = mock.api.createAccount().key;
    const out = tmp.path("secrets-copy.ndjson");
    const run = await cli(["copy", "--to-key", target, "--to-base-url", mock.baseURL, "--secrets-out", out]);
    expect(run.code, run.stderr).toBe(0);
    const got = await lines(out);
    expect(got.map((l) => `${l.kind} ${l.id}`).sort()).toEqual(await createdObjects());
    for (const line of got) expect(line.secret).toBe(mock.api.webhookSecret(line.id, { key: target }));
    expect(run.stdout + run.stderr).not.toContain(target);
  });
});

describe("restore --secrets-out", () => {
  it("receives the secret of a deleted webhook that the restore created again, and nothing for the rest", async () => {
    const key = mock.api.createAccount().key;
    expect((await cli(["import", archive], { env: { RESONANT_API_KEY: key } })).code).toBe(0);
    const [gone] = await archiveIds("webhooks");
    const deleted = await fetch(`${mock.baseURL}/v1.2/webhooks/${gone}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(deleted.status).toBe(204);
    const out = tmp.path("secrets-restore.ndjson");
    const run = await cli(["restore", archive, "--secrets-out", out], { env: { RESONANT_API_KEY: key } });
    expect(run.code, run.stderr).toBe(0);
    expect(await lines(out)).toEqual([{ kind: "webhooks", id: gone, secret: mock.api.webhookSecret(gone!, { key }) }]);
  });
});

describe("a server whose import answer carries no secrets", () => {
  it("lists the objects with a null secret and says the target did not return them", async () => {
    const api = createMockApi({ versionStates: { "1.0": "deprecated", "1.1": "deprecated", "1.2": "current" } });
    const bare = Object.create(api) as typeof api;
    // The letter of docs/protocol.md section 6: `{imported, skipped, failed}` and nothing more.
    bare.fetch = async (request: Request) => {
      const response = await api.fetch(request);
      if (!new URL(request.url).pathname.endsWith("/import") || response.status !== 200) return response;
      const { secrets: _dropped, ...rest } = (await response.json()) as Record<string, unknown>;
      const headers = new Headers(response.headers);
      headers.delete("content-length");
      return new Response(JSON.stringify(rest), { status: 200, headers });
    };
    const server = await startMockServer({ api: bare });
    try {
      const key = api.createAccount().key;
      const out = tmp.path("secrets-bare.ndjson");
      const run = await cliFor(server, key, tmp.dir)(["import", archive, "--secrets-out", out]);
      expect(run.code, run.stderr).toBe(0);
      const got = await lines(out);
      expect(got.map((l) => `${l.kind} ${l.id}`).sort()).toEqual(await createdObjects());
      for (const line of got) expect(line.secret).toBeNull();
      expect(run.stdout + run.stderr).toContain("the target did not return 5 of them");
    } finally {
      await server.close();
    }
  });
});
