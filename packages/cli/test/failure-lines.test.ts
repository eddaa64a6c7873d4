/**
 * One line for one refusal, whichever command met it: `import --failures`
 * (an item refused inside the import answer, the call itself a 200) and
 * `migrate --failures` (a PATCH refused with 422) write the same six members,
 * and `status` is the HTTP status the refusal stands for: the answer's, or the
 * one the item's code has in the protocol (validation_error: 422,
 * tool_not_found: 404). Real processes against the mock.
 */
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { cliFor } from "./helpers.js";
import { migrationSource, useMigrateAccount, writeMigrations } from "./migrate-helpers.js";

const acct = useMigrateAccount({ agents: 2 });
const MISSING_TOOL = "5b0e5c1e-0000-4000-8000-00000000aaaa";
const KEYS = ["code", "id", "kind", "message", "request_id", "status"];

const linesOf = async (path: string) =>
  (await readFile(path, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("--failures lines", { timeout: 60_000 }, () => {
  it("import and migrate write a refusal the same way: six members, status the one its code stands for", async () => {
    const exported = await acct.cli(["export", "--out", "account.json", "--quiet"]);
    expect(exported.code, exported.stderr).toBe(0);
    const doc = JSON.parse(await readFile(acct.tmp.path("account.json"), "utf8")) as Record<string, unknown>;
    delete doc.counts;
    delete doc.checksum;
    const [first, second] = doc.agents as Record<string, unknown>[];
    // Read by resonant (whose archive check is the compatible one: a later server may allow longer names), refused by the mock.
    first!.name = "n".repeat(150);
    second!.tool_ids = [MISSING_TOOL];
    await writeFile(acct.tmp.path("bad.json"), JSON.stringify(doc));

    const target = cliFor(acct.mock, acct.mock.api.createAccount().key, acct.tmp.dir);
    const imported = await target(["import", "bad.json", "--failures", "import-failures.ndjson", "--quiet"]);
    expect(imported.code, imported.stderr).toBe(2);
    const importLines = await linesOf(acct.tmp.path("import-failures.ndjson"));
    const byId = new Map(importLines.map((line) => [line.id, line]));
    expect(byId.get(first!.id)).toMatchObject({ kind: "agents", code: "validation_error", status: 422 });
    expect(byId.get(second!.id)).toMatchObject({ kind: "agents", code: "tool_not_found", status: 404 });

    await writeMigrations(acct.tmp.path("migrations"), {
      "0001_tools.mjs": migrationSource({
        revision: "t1",
        downRevision: null,
        up: `await ctx.update("agents", { where: (a) => a.id === ${JSON.stringify(first!.id)}, set: { tool_ids: ["${MISSING_TOOL}"] } });`,
      }),
    });
    const migrated = await acct.cli(["migrate", "up", "--yes", "--failures", "migrate-failures.ndjson", "--quiet"]);
    expect(migrated.code, migrated.stderr).toBe(2);
    const migrateLines = await linesOf(acct.tmp.path("migrate-failures.ndjson"));
    expect(migrateLines).toHaveLength(1);
    expect(migrateLines[0]).toMatchObject({ id: first!.id, kind: "agents", code: "validation_error", status: 422 });

    for (const line of [...importLines, ...migrateLines]) {
      expect(Object.keys(line).sort()).toEqual(KEYS);
      expect(line.request_id).toMatch(/^req_/);
      expect(typeof line.status).toBe("number");
    }
  });
});
