/**
 * `resonant` through a faulty network: real CLI processes talk to the real
 * mock through the fault proxy (test/fault/proxy.ts), which injects 500, 502,
 * 503, 429 with Retry-After, resets before the answer, answers cut mid-body,
 * answers lost after the server acted and answers held past the timeout.
 * Every check ends on ground truth read from the mock directly: the target
 * equals the source, each import batch was carried out once, and the counts
 * and failure logs the CLI reports are true.
 *
 * Faults are drawn from a seed printed at the start and in every failure
 * message; replay one with FAULT_SEED=<seed>. Each run also gets every kind
 * once, scripted, so a short run cannot miss one.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { events } from "./helpers.js";
import { FAULT_KINDS, seedFromEnv } from "./fault/proxy.js";
import { evenRates, everyKind, faultyAccount } from "./fault/setup.js";

const SEED = { tools: 4, agents: 240, teams: 4, sessions: 40, memories: 200, triggers: 4, webhooks: 4 };
const TOTAL = Object.values(SEED).reduce((a, b) => a + b, 0);
const FAULT_SEED = seedFromEnv();

let env: Awaited<ReturnType<typeof faultyAccount>>;
/** The fault-free export of the source, as the CLI writes it straight from the mock. */
let reference: string;
let referenceDoc: Record<string, unknown>;
let referenceLines: string[];
let newAccount: () => string;

beforeAll(async () => {
  // Six faults at most on one request: the CLI's default six retries always reach a seventh try, so these runs
  // check what faults must not change, whatever the seed; giving up and --resume have tests of their own (resume-failures, interrupt).
  env = await faultyAccount(SEED, { seed: FAULT_SEED, maxRun: 6 });
  newAccount = () => env.mock.api.createAccount().key;
  reference = env.tmp.path("reference.json");
  const json = await env.direct(["export", "--out", reference, "--quiet"]);
  expect(json.code, json.stderr).toBe(0);
  referenceDoc = withoutTime(JSON.parse(await readFile(reference, "utf8")));
  const nd = await env.direct(["export", "--format", "ndjson", "--quiet"]);
  expect(nd.code, nd.stderr).toBe(0);
  referenceLines = nd.stdout.trim().split("\n");
});
afterAll(() => env.close());

/** An archive without what changes from one export to the next: its time, and the checksum that covers it. */
function withoutTime(doc: Record<string, unknown>): Record<string, unknown> {
  const { exported_at: _time, checksum: _sum, ...rest } = doc;
  return rest;
}

/** The seed, the counts and the CLI's stderr: what a failing check must show to be replayed. */
const why = (stderr = "") => `${env.proxy.describe()}\n${stderr}`;

/** Sums one field of a summary's kinds. */
const total = (summary: Record<string, unknown>, field: "created" | "read" | "skipped" | "failed") =>
  (summary.kinds as Record<string, number>[]).reduce((a, k) => a + (k[field] ?? 0), 0);

/** The counts now, and a check that each of `kinds` was injected since. */
function injectedSince(kinds: readonly string[] = FAULT_KINDS) {
  const before = { ...env.proxy.counts };
  return () => {
    for (const kind of kinds)
      expect(
        env.proxy.counts[kind as keyof typeof before] - before[kind as keyof typeof before],
        `${kind}: ${why()}`,
      ).toBeGreaterThan(0);
  };
}

describe("export through faults", () => {
  it("JSON: the archive equals a fault-free export (but its time and checksum), and verifies", async () => {
    env.proxy.setRates(evenRates(0.02));
    env.proxy.setScript(["503", "cut", "lost"]);
    const check = injectedSince(["503", "cut", "lost"]);
    const out = env.tmp.path("faulty.json");
    const run = await env.cli(["export", "--out", out, "--json"]);
    expect(run.code, why(run.stderr)).toBe(0);
    check();
    expect(withoutTime(JSON.parse(await readFile(out, "utf8"))), why()).toEqual(referenceDoc);
    expect(events(run.stdout).at(-1)).toMatchObject({ event: "summary", counts: SEED });
    // The checksum is the archive's own: verify reads it back and finds the source account unchanged.
    const verify = await env.direct(["verify", out]);
    expect(verify.code, why(verify.stderr)).toBe(0);
  });

  it("NDJSON: every line equals a fault-free export's, the end line but its time and checksum", async () => {
    env.proxy.setRates(evenRates(0.02));
    env.proxy.setScript(["429", "reset", "held", "cut"]);
    const check = injectedSince(["429", "reset", "held", "cut"]);
    const run = await env.cli(["export", "--format", "ndjson", "--quiet"]);
    expect(run.code, why(run.stderr)).toBe(0);
    check();
    const lines = run.stdout.trim().split("\n");
    expect(lines.length, why()).toBe(TOTAL + 1);
    expect(lines.slice(0, -1), why()).toEqual(referenceLines.slice(0, -1));
    expect(withoutTime(JSON.parse(lines.at(-1)!)), why()).toEqual(withoutTime(JSON.parse(referenceLines.at(-1)!)));
  });
});

describe("import and copy through faults", () => {
  it("import: the target equals the source, each batch carried out once, counts true, no failure logged", async () => {
    const key = newAccount();
    const since = env.mock.imports().length;
    env.proxy.setRates(evenRates(0.03));
    env.proxy.setScript(everyKind(FAULT_SEED), 2);
    const check = injectedSince();
    const failures = env.tmp.path("import-failures.ndjson");
    const run = await env.cli(["import", reference, "--batch-size", "20", "--failures", failures, "--json"], key);
    expect(run.code, why(run.stderr)).toBe(0);
    check();
    const summary = events(run.stdout).at(-1)!;
    expect(total(summary, "read"), why()).toBe(TOTAL);
    // Created or skipped: a batch whose answer was lost comes back as an idempotent replay, never as a second import.
    expect(total(summary, "created") + total(summary, "skipped"), why()).toBe(TOTAL);
    expect(total(summary, "failed"), why()).toBe(0);
    expect(await readFile(failures, "utf8").catch(() => ""), why()).toBe("");
    const carried = env.carriedOut(since);
    expect(
      [...carried.entries()].filter(([, n]) => n !== 1),
      why(),
    ).toEqual([]);
    expect(env.itemsCarriedOut(since), why()).toBe(TOTAL);
    expect(await env.accountOf(key), why()).toEqual(await env.accountOf(DEMO_API_KEY));
    await expect(stat(`${reference}.checkpoint`), "a run that ended well leaves no checkpoint").rejects.toThrow();
  });

  it("copy: the target equals the source, each batch carried out once, counts true, no failure logged", async () => {
    const key = newAccount();
    const since = env.mock.imports().length;
    env.proxy.setRates(evenRates(0.03));
    env.proxy.setScript(everyKind(FAULT_SEED + 1), 2);
    const check = injectedSince();
    const failures = env.tmp.path("copy-failures.ndjson");
    const run = await env.cli([
      "copy",
      "--to-key",
      key,
      "--batch-size",
      "20",
      "--failures",
      failures,
      "--checkpoint",
      env.tmp.path("copy.checkpoint"),
      "--json",
    ]);
    expect(run.code, why(run.stderr)).toBe(0);
    check();
    const summary = events(run.stdout).at(-1)!;
    expect(total(summary, "created") + total(summary, "skipped"), why()).toBe(TOTAL);
    expect(total(summary, "failed"), why()).toBe(0);
    expect(await readFile(failures, "utf8").catch(() => ""), why()).toBe("");
    expect(
      [...env.carriedOut(since).entries()].filter(([, n]) => n !== 1),
      why(),
    ).toEqual([]);
    expect(env.itemsCarriedOut(since), why()).toBe(TOTAL);
    expect(await env.accountOf(key), why()).toEqual(await env.accountOf(DEMO_API_KEY));
  });

  it("refused items: the failure log names each refused item exactly once, and the summary counts it", async () => {
    // An archive from elsewhere (no counts, no checksum) that lacks one agent its sessions and memories name.
    const doc = JSON.parse(await readFile(reference, "utf8")) as Record<
      string,
      { id: string; agent_id?: string | null }[]
    >;
    const agentId = doc.sessions![0]!.agent_id!;
    doc.agents = doc.agents!.filter((a) => a.id !== agentId);
    // Teams and triggers name agents in lists of their own: left out, so what is refused is known from agent_id alone.
    for (const kind of ["teams", "triggers"]) doc[kind] = [];
    const refused = ["sessions", "memories"]
      .flatMap((kind) => doc[kind]!.filter((o) => o.agent_id === agentId).map((o) => o.id))
      .sort();
    const sent = (kind: string) => doc[kind]!.length;
    delete (doc as Record<string, unknown>).counts;
    delete (doc as Record<string, unknown>).checksum;
    const file = env.tmp.path("partial.json");
    await writeFile(file, JSON.stringify(doc));
    const key = newAccount();
    env.proxy.setRates(evenRates(0.03));
    env.proxy.setScript(everyKind(FAULT_SEED + 2), 2);
    const failures = env.tmp.path("partial-failures.ndjson");
    const args = ["import", file, "--batch-size", "10", "--failures", failures, "--json"];
    const run = await env.cli(args, key);
    expect(run.code, why(run.stderr)).toBe(2);
    const logged = (await readFile(failures, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { kind: string; id: string; code: string });
    expect(logged.map((l) => l.id).sort(), why(JSON.stringify(logged))).toEqual(refused);
    expect(
      logged.every((l) => l.code === "agent_not_found"),
      why(),
    ).toBe(true);
    expect(total(events(run.stdout).at(-1)!, "failed"), why()).toBe(refused.length);
    const target = (await env.accountOf(key)) as Record<string, { id: string }[]>;
    const held = ["agents", "sessions", "memories"].reduce((a, kind) => a + target[kind]!.length, 0);
    expect(held, why()).toBe(sent("agents") + sent("sessions") + sent("memories") - refused.length);
    expect(
      target.sessions!.some((o) => refused.includes(o.id)),
      why(),
    ).toBe(false);
  });
});

describe("restore through faults", () => {
  it("rolls back edits, a deletion and an addition; verify then finds the account equal to the backup", async () => {
    const key = newAccount();
    env.mock.api.seed({ agents: 60, sessions: 20, memories: 40 }, { key });
    const backup = env.tmp.path("restore-backup.json");
    expect((await env.direct(["export", "--out", backup, "--quiet"], key)).code).toBe(0);
    const before = await env.accountOf(key);
    const doc = JSON.parse(await readFile(backup, "utf8")) as { agents: { id: string }[]; memories: { id: string }[] };
    const h = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const api = `${env.mock.baseURL}/v1.2`;
    for (const agent of doc.agents.slice(0, 10))
      await fetch(`${api}/agents/${agent.id}`, {
        method: "PATCH",
        headers: h,
        body: JSON.stringify({ description: "edited" }),
      });
    for (const memory of doc.memories.slice(0, 5))
      await fetch(`${api}/memories/${memory.id}`, { method: "DELETE", headers: h });
    for (let i = 0; i < 5; i++)
      await fetch(`${api}/agents`, {
        method: "POST",
        headers: h,
        body: JSON.stringify({ name: `added ${i}`, model: "gpt-4-turbo", system_prompt: "" }),
      });
    expect((await env.direct(["verify", backup], key)).code).toBe(3);

    env.proxy.setRates(evenRates(0.03));
    env.proxy.setScript(everyKind(FAULT_SEED + 3), 2);
    const failures = env.tmp.path("restore-failures.ndjson");
    const run = await env.cli(["restore", backup, "--prune", "--yes", "--failures", failures, "--json"], key);
    expect(run.code, why(run.stderr)).toBe(0);
    expect(await readFile(failures, "utf8").catch(() => ""), why()).toBe("");
    const verify = await env.direct(["verify", backup, "--json"], key);
    expect(verify.code, why(verify.stderr)).toBe(0);
    expect(events(verify.stdout).at(-1)!.extra, why()).toEqual([]);
    // Restored objects come back as they were, but the server's own update times and versions move on.
    const after = await env.accountOf(key);
    const ids = (doc: Record<string, unknown>, kind: string) => (doc[kind] as { id: string }[]).map((o) => o.id).sort();
    for (const kind of ["agents", "sessions", "memories"]) expect(ids(after, kind), why()).toEqual(ids(before, kind));
  });
});

describe("the proxy itself", () => {
  it("injected every kind of fault in this file's runs", () => {
    for (const kind of FAULT_KINDS) expect(env.proxy.counts[kind], `${kind}: ${why()}`).toBeGreaterThan(0);
  });
});
