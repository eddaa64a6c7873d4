/**
 * `migrate test` on an account holding an object larger than any import body
 * (a session the API took just under its 10 MiB limit, then given its id,
 * times and steps). The test puts the account into a copy by import, and
 * failed with a bare `413 ... The request body is larger than 10485760
 * bytes`, naming no object: the operator could not tell which one to change.
 * It now names the object, before anything runs. Run as a real process.
 */
import { describe, expect, it } from "vitest";
import { createOversizedSession } from "./helpers.js";
import { MODEL_RENAME, useMigrateAccount, writeMigrations } from "./migrate-helpers.js";

const acct = useMigrateAccount({ agents: 2 });

describe("migrate test on an account with an object past the body limit", { timeout: 60_000 }, () => {
  it("names the object it cannot copy (exit 1), and writes nothing to the account", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    const session = await createOversizedSession(acct.mock.baseURL, acct.key);
    const before = await acct.snapshot();

    const run = await acct.cli(["migrate", "test"]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`resonant: migrate test: sessions "${session}" is `);
    expect(run.stderr).toMatch(/bytes, more than an import's body may carry \(10 MiB, the API's body limit\)/);
    const after = await acct.snapshot();
    expect(after.agents).toEqual(before.agents);
  });
});
