/**
 * A dry run reads numbers a double cannot hold as verify does, with their digits: an overwrite that changes only
 * digits beyond 2^53 is planned as an overwrite, not as no change. The mock stores parsed objects, so its export
 * is rewritten on the way out to give one tool a field holding such a number, its digits chosen per account:
 * 9007199254740992 and 9007199254740993 are one double apart from nothing (JSON.parse reads both as the first).
 * Run as real processes.
 */
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { exportedAccount } from "./helpers.js";

const ARCHIVED = "9007199254740992";
const HELD = "9007199254740993";

const { mock, cli, archive, close } = await exportedAccount({ tools: 1 }, "plain.json");
afterAll(close);

/** From now on, each tool line of `key`'s export carries `x_n` with `digits`. */
function exportsTools(digitsOf: (key: string) => string): void {
  mock.api.faults.reset();
  mock.api.faults.set({
    method: "GET",
    path: "/data/export",
    rewriteLines: (line, request) => {
      const key = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
      return line.replace('"object":"tool",', `"object":"tool","x_n":${digitsOf(key)},`);
    },
  });
}

describe("numbers beyond a double in a dry run's comparison", () => {
  it("import --dry-run plans an overwrite the archive's digits would make, as verify tells it changed", async () => {
    // The archive holds 9007199254740992; the account, read again, 9007199254740993.
    exportsTools(() => ARCHIVED);
    const made = await cli(["export", "--out", "exact.json", "--quiet"]);
    expect(made.code, made.stderr).toBe(0);
    exportsTools(() => HELD);

    const plan = await cli(["import", "exact.json", "--dry-run", "--on-conflict", "overwrite", "--json"]);
    expect(plan.code, plan.stderr).toBe(3);
    const rows = plan.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const planned = rows.find((r) => r.event === "plan") as
      | { kinds: { kind: string; overwrite: number }[] }
      | undefined;
    expect(planned?.kinds.find((k) => k.kind === "tools")?.overwrite).toBe(1);

    const verify = await cli(["verify", "exact.json"]);
    expect(verify.code, verify.stderr).toBe(3);
    expect(verify.stdout).toMatch(/changed in the account:\n {2}tools [0-9a-f-]+ \(x_n\)/);

    // The same digits on both sides: no change.
    exportsTools(() => ARCHIVED);
    const same = await cli(["import", "exact.json", "--dry-run", "--on-conflict", "overwrite"]);
    expect(same.code, same.stdout + same.stderr).toBe(0);
  });

  it("copy --dry-run plans it too: the source's digits against the target's", async () => {
    // A second account holding the same tool, by importing the plain archive into it.
    const source = mock.api.createAccount().key;
    const imported = await cli(["import", archive, "--quiet"], { env: { RESONANT_API_KEY: source } });
    expect(imported.code, imported.stderr).toBe(0);
    exportsTools((key) => (key === source ? ARCHIVED : HELD));

    const args = ["copy", "--to-key", DEMO_API_KEY, "--dry-run", "--on-conflict", "overwrite"];
    const plan = await cli(args, { env: { RESONANT_API_KEY: source } });
    expect(plan.code, plan.stdout + plan.stderr).toBe(3);
    expect(plan.stdout).toMatch(/^tools +1 +0 +0 +1 +0$/m);
  });
});
