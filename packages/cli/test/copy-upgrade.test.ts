/**
 * `upgrade` and `copy` as real processes against a real mock server on
 * 127.0.0.1: archives and accounts across API versions, and a copy's dry run.
 */
import { readFile, stat } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { events, exportedAccount } from "./helpers.js";

const SEED = { tools: 3, agents: 25, teams: 2, sessions: 12, memories: 15, triggers: 3, webhooks: 2 };

const { mock, tmp, cli, close } = await exportedAccount(SEED, "backup.json");
afterAll(() => close());

const newAccount = () => mock.api.createAccount().key;

describe("upgrade and copy across versions", () => {
  it("upgrade turns a 1.0 archive into a 1.2 one offline, refuses a downgrade, and the result imports", async () => {
    const old = tmp.path("old.json");
    expect((await cli(["export", "--out", old, "--api-version", "1.0"])).code).toBe(0);
    const up = tmp.path("up.json");
    const before = mock.seen.length;
    const run = await cli(["upgrade", old, "--to", "1.2", "--out", up]);
    expect(run.code, run.stderr).toBe(0);
    expect(mock.seen.length).toBe(before); // offline
    const doc = JSON.parse(await readFile(up, "utf8")) as {
      api_version: string;
      agents: { tool_ids: unknown; version: unknown }[];
    };
    expect(doc.api_version).toBe("1.2");
    expect(doc.agents[0]).toMatchObject({ tool_ids: [], version: 1 });
    // Without --to, to the current version.
    const current = await cli(["upgrade", old, "--out", tmp.path("current.json")]);
    expect(current.code, current.stderr).toBe(0);
    expect(current.stdout).toMatch(/^upgraded .* from API 1\.0 to 1\.2 /m);
    expect(current.stdout).toMatch(/^kind +records$/m);
    expect(JSON.parse(await readFile(tmp.path("current.json"), "utf8"))).toMatchObject({ api_version: "1.2" });
    const down = await cli(["upgrade", up, "--to", "1.0"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/downgrade/);
    const key = newAccount();
    expect((await cli(["import", up], { env: { RESONANT_API_KEY: key } })).code).toBe(0);
    expect((await cli(["verify", old], { env: { RESONANT_API_KEY: key } })).code).toBe(0);
  });

  it("copy refuses an account into itself (the same key and base URL) before any request", async () => {
    const key = newAccount();
    const before = mock.seen.length;
    for (const args of [
      ["copy", "--to-key", key, "--on-conflict", "overwrite"],
      ["copy", "--api-version", "1.0", "--to-key", key, "--to-base-url", mock.baseURL],
    ]) {
      const run = await cli(args, { env: { RESONANT_API_KEY: key } });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("the target is the source account (the same key at the same base URL)");
      expect(run.stderr).not.toContain(key);
    }
    expect(mock.seen.length).toBe(before);
  });

  it("copy streams a 1.0 account into a 1.2 account; verify of the 1.0 backup passes", async () => {
    const source = newAccount();
    mock.api.seed({ agents: 30, sessions: 10, webhooks: 2 }, { key: source });
    const backup = tmp.path("source-1.0.json");
    expect(
      (await cli(["export", "--out", backup, "--api-version", "1.0"], { env: { RESONANT_API_KEY: source } })).code,
    ).toBe(0);
    const target = newAccount();
    const run = await cli(["copy", "--api-version", "1.0", "--to-key", target, "--json"], {
      env: { RESONANT_API_KEY: source },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(target);
    expect(run.stdout + run.stderr).not.toContain(source);
    const summary = events(run.stdout).at(-1)!;
    expect(summary).toMatchObject({ event: "summary", api_version: "1.0", target_api_version: "1.2" });
    const warnings = events(run.stdout).filter(
      (e) => e.event === "warning" && String(e.message).includes("deprecated"),
    );
    // The SDK's one wording; 1.0's sunset (2026-03-01) has passed, and a server still answering is in grace.
    expect(warnings.map((e) => e.message)).toEqual([
      "ResonantGenesis API version 1.0 is deprecated since 2025-09-01 and past its sunset (2026-03-01): " +
        "the server may refuse it (410) at any time; upgrade to v1.2.",
    ]);
    expect((await cli(["verify", backup], { env: { RESONANT_API_KEY: target } })).code).toBe(0);
  });

  it("copy --dry-run plans against the target and writes nothing: no import, no checkpoint, exit 3 then 0", async () => {
    const target = newAccount();
    const imports = mock.imports().length;
    const dry = await cli(["copy", "--to-key", target, "--dry-run", "--json"]);
    expect(dry.code, dry.stderr).toBe(3);
    const plan = events(dry.stdout).find((e) => e.event === "plan")!;
    expect(plan).toMatchObject({ command: "copy", on_conflict: "skip", changes: true });
    expect(plan.kinds).toContainEqual({ kind: "agents", read: 25, create: 25, skip: 0, overwrite: 0, conflict: 0 });
    expect(mock.imports().length).toBe(imports);
    await expect(stat(tmp.path("resonant-copy.checkpoint"))).rejects.toThrow();

    expect((await cli(["copy", "--to-key", target, "--quiet"])).code).toBe(0);
    const again = await cli(["copy", "--to-key", target, "--dry-run", "--on-conflict", "overwrite"]);
    expect(again.code, again.stderr).toBe(0); // an overwrite that would change nothing is a skip
    expect(again.stdout).toMatch(/^agents +25 +0 +25 +0 +0$/m);
    expect(again.stdout).toContain("plan (dry run, on conflict: overwrite; nothing was written)");
  });
});
