/**
 * A webhook or trigger that `resonant migrate` creates (`ctx.create`), or
 * puts back (a `down` that reverses the deletion of one), gets a new secret
 * from the server, shown once. The tool keeps it nowhere, by design (not the
 * journal, not the migration), but said nothing either: the run ended
 * "applied" with exit 0 and nobody learnt that an object whose signatures
 * must be checked had a secret no one holds. It is now named as import names
 * them: a warning (even with --quiet), a `new_secrets` event with --json, ids
 * only, never the secret. Run as real processes against the mock.
 */
import { describe, expect, it } from "vitest";
import { events } from "./helpers.js";
import { migrationSource, useMigrateAccount, writeMigrations } from "./migrate-helpers.js";

const acct = useMigrateAccount({ agents: 2, triggers: 2, webhooks: 1 });

const HOOK = migrationSource({
  revision: "h1",
  downRevision: null,
  message: "a hook, and no triggers",
  up: `await ctx.create("webhooks", { url: "https://example.com/hook", events: ["session.completed"] });
  await ctx.delete("triggers", () => true);`,
});

const WARNING =
  /^warning: revision h1: (\d) webhook\/trigger object\(s\) got a new secret from the server, which resonant migrate does not keep/m;

describe("webhooks and triggers a migration makes", { timeout: 60_000 }, () => {
  it("are named with their new secret not kept: up's created webhook, down's put-back triggers", async () => {
    await writeMigrations(acct.tmp.path("migrations"), { "0001_h1.mjs": HOOK });
    const triggers = ((await acct.snapshot()).triggers ?? []).map((t) => t.id as string).sort();
    expect(triggers).toHaveLength(2);

    const up = await acct.cli(["--quiet", "migrate", "up", "--yes"]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(WARNING);
    expect(WARNING.exec(up.stderr)![1]).toBe("1");
    const hooks = (await acct.snapshot()).webhooks!.map((w) => w.id as string);
    expect(hooks).toHaveLength(2);
    // --quiet hides notes, not which object to re-create: the warning names it.
    const made = hooks.filter((id) => up.stderr.includes(`\n  webhooks ${id}\n`));
    expect(made).toHaveLength(1);

    const down = await acct.cli(["--json", "migrate", "down", "--yes"]);
    expect(down.code, down.stderr).toBe(0);
    const told = events(down.stdout).filter((e) => e.event === "new_secrets");
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ revision: "h1", file: null });
    expect((told[0]!.objects as { kind: string; id: string }[]).map((o) => o.kind)).toEqual(["triggers", "triggers"]);
    expect((told[0]!.objects as { id: string }[]).map((o) => o.id).sort()).toEqual(triggers);
    expect(events(down.stdout).some((e) => e.event === "warning" && /new secret/.test(String(e.message)))).toBe(true);
    // Ids only: no secret reaches the output.
    expect(down.stdout + down.stderr + up.stdout + up.stderr).not.toMatch(/whsec_|"secret"/);
  });
});
