/**
 * An account object larger as a record than the API's body limit (10 MiB). The API takes a session whose body is
 * just under the limit, and its export record (the body, plus its id, times, status and steps) is then just over
 * it; a session's steps can grow it further. A backup must keep it: `export` once wrote it and readers refused the
 * whole archive, then `export` refused to write any archive at all. Now the archive holds it (with a warning that
 * names it), `verify` finds the account equal, and an import carries every other object and logs this one as
 * failed (exit 2). Run as a real process against the mock on 127.0.0.1.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { cliFor, DEMO_API_KEY, events, useOversizedAccount } from "./helpers.js";

const account = useOversizedAccount({ agents: 2, sessions: 1 });

describe("an account object over the API's body limit", { timeout: 120_000 }, () => {
  it.each(["big.json", "big.ndjson", "big.json.gz"])("is kept by export to %s, named in a warning", async (out) => {
    const cli = cliFor(account.mock, DEMO_API_KEY, account.tmp.dir);
    const run = await cli(["export", "--out", out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`sessions "${account.session}" (`);
    expect(run.stderr).toMatch(/larger than the API's 10485760-byte \(10 MiB\) body limit; kept in the archive/);
    const verified = await cli(["verify", out]);
    expect(verified.code, verified.stderr).toBe(0);
  });

  it("is logged as failed by an import, which carries every other object (exit 2)", async () => {
    const target = account.api.createAccount().key;
    const failures = account.tmp.path("big-failures.ndjson");
    const imported = await cliFor(
      account.mock,
      target,
      account.tmp.dir,
    )(["import", "big.json", "--failures", failures, "--json"]);
    expect(imported.code, imported.stderr).toBe(2);
    const logged = (await readFile(failures, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string });
    expect(logged.map((l) => l.id)).toEqual([account.session]);
    const summary = events(imported.stdout).at(-1)! as { kinds: { kind: string; created: number }[] };
    const created = Object.fromEntries(summary.kinds.map((k) => [k.kind, k.created]));
    expect(created).toMatchObject({ agents: 2, sessions: 1 });
  });
});
