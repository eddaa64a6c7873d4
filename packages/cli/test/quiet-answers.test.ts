/**
 * `--quiet` silences progress and notes, not the answer the user asked for: `migrate current`, `migrate history` and
 * `versions` print it as without `--quiet` (they printed nothing at all), while a command that does something
 * (`migrate up`) still prints nothing but warnings and errors. Real processes against the mock.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { MODEL_RENAME, TIER_DEFAULT, useMigrateAccount, writeMigrations } from "./migrate-helpers.js";

const account = useMigrateAccount({ agents: 3 });

describe("--quiet and a command's answer", { timeout: 60_000 }, () => {
  it("migrate current and history print their answer; migrate up prints nothing", async () => {
    const { cli, tmp } = account;
    await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME, "0002_b2.mjs": TIER_DEFAULT });
    const up = await cli(["--quiet", "migrate", "up", "a1", "--yes", "--no-backup"]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toBe("");

    const current = await cli(["--quiet", "migrate", "current"]);
    expect(current.code, current.stderr).toBe(0);
    expect(current.stdout).toBe("current: a1 (gpt-4-turbo to gpt-4.1); head b2, 1 pending\n");
    expect(current.stdout).toBe((await cli(["migrate", "current"])).stdout);

    const history = await cli(["--quiet", "migrate", "history"]);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/^revision +state +message\na1 +applied +gpt-4-turbo to gpt-4\.1 +<- current\n/);
    expect(history.stdout).toMatch(/\nb2 +pending +metadata\.tier where missing +\(head\)\n$/);
    expect(history.stdout).toBe((await cli(["migrate", "history"])).stdout);
  });

  it("versions prints its table, not the note that no server was asked", async () => {
    const quiet = await runCli(["--quiet", "versions"]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toMatch(/^version +status +deprecated since/);
    expect(quiet.stdout).toMatch(/\nSDK \S+\n$/);
    const plain = await runCli(["versions"]);
    expect(plain.stdout).toBe(`${quiet.stdout}no key (--api-key or RESONANT_API_KEY): the server was not asked\n`);
  });
});
