/**
 * `resonant verify` of a backup `resonant migrate` took: compared in the kinds the backup holds, with the tool's own
 * memories (its ledger and lease) left out. Real processes against the mock.
 */
import { describe, expect, it } from "vitest";
import { events } from "./helpers.js";
import { useMigrateAccount, writeFirstMigration } from "./migrate-helpers.js";

const acct = useMigrateAccount({ agents: 2, memories: 3 });
const last = (stdout: string) => events(stdout).at(-1)!;

describe("verify of a backup of memories", { timeout: 120_000 }, () => {
  it("leaves the tool's own memories (its ledger) out: not the backup's objects, nor extras", async () => {
    await writeFirstMigration(
      acct.tmp.path("migrations"),
      "m",
      `await ctx.update("memories", { set: { "metadata.tag": "x" } });`,
    );
    const up = await acct.cli(["--json", "migrate", "up", "--yes"]);
    expect(up.code, up.stderr).toBe(0);
    const backup = (last(up.stdout).steps as { backup: string }[])[0]!.backup;
    const ledgerIds = new Set<string>();
    for await (const m of acct.client().memories.list())
      if (m.tags.some((t) => t.startsWith("resonant:migrate"))) ledgerIds.add(m.id);
    expect(ledgerIds.size).toBeGreaterThan(0);
    const verify = await acct.cli(["--json", "verify", backup]);
    // The revision changed each memory (exit 3); the ledger's records are neither missing, changed nor extra.
    expect(verify.code, verify.stderr).toBe(3);
    const result = last(verify.stdout) as Record<"changed" | "missing" | "extra", { id: string }[]>;
    expect(result.changed).toHaveLength(3);
    expect([...result.changed, ...result.missing, ...result.extra].filter((e) => ledgerIds.has(e.id))).toEqual([]);
    expect(result.extra).toEqual([]);
  });
});
