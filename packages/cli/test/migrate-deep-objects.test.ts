/**
 * An object a migration plans nested deeper than 256 levels, the bound every archive and account object is held
 * to (core/records.ts): the journal, hashes, backup and `down` could not take it (at 100,000 levels the plan
 * overflowed the stack; at 300 the run wrote what no reader of resonant takes back). It is refused while planning,
 * naming the file, the revision, the call and the object, and nothing is written: no write, no journal, no ledger.
 */
import { readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { migrationSource, useMigrateAccount, writeMigrations } from "./migrate-helpers.js";

const acct = useMigrateAccount({ tools: 2 });

/** An array nested `levels` levels deep, built in the migration. */
const deep = (levels: number) => `(() => { let d = []; for (let i = 1; i < ${levels}; i++) d = [d]; return d; })()`;

// A tool's parameters (a JSON Schema) take any JSON: the SDK's request check lets the depth through.
const CASES: [string, string, RegExp][] = [
  [
    "an update 300 levels deep",
    `const deep = ${deep(300)}; await ctx.update("tools", { set: { "parameters.deep": deep } });`,
    /0001_d1\.mjs \(revision d1\): ctx\.update\("tools"\) on tools [0-9a-f-]{36}: the object it plans holds arrays and objects nested more than 256 levels deep/,
  ],
  [
    "a create 100,000 levels deep",
    `await ctx.create("tools", { name: "deep", description: "d", endpoint: "https://example.com/d", parameters: { type: "object", properties: {}, deep: ${deep(100_000)} } });`,
    /0001_d1\.mjs \(revision d1\): ctx\.create\("tools"\) on tools \(new\): the object it plans holds arrays and objects nested more than 256 levels deep/,
  ],
];

describe("a migration that plans an object nested past 256 levels", { timeout: 60_000 }, () => {
  it.each(CASES)("%s is refused before anything is written", async (_name, up, message) => {
    await writeMigrations(acct.tmp.path("migrations"), {
      "0001_d1.mjs": migrationSource({ revision: "d1", downRevision: null, up }),
    });
    const before = await acct.snapshot();
    const dry = await acct.cli(["migrate", "up", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(1);
    expect(dry.stderr).toMatch(message);
    const from = acct.mock.seen.length;
    const run = await acct.cli(["migrate", "up", "--yes"]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/; nothing was written\n/);
    expect(run.stderr).not.toMatch(/stack/i);
    // The lease and ledger are memories; no other object of the account is written.
    const written = acct.mock.seen.slice(from).filter((s) => s.method !== "GET" && !s.path.includes("/memories"));
    expect(written).toEqual([]);
    expect(await acct.snapshot()).toEqual(before);
    expect(await acct.ledger()).toEqual([]);
    expect(await readdir(acct.tmp.path("migrations/.journal")).catch(() => [])).toEqual([]);
  });
});
