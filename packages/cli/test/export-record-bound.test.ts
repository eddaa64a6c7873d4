/**
 * An account object larger as a record than an archive may hold (10 MiB, the
 * API's body limit, which every reader of resonant enforces). The API takes a
 * account.session whose body is just under the limit, and its export record (the
 * body, plus its id, times, status and steps) is then just over it. `export`
 * wrote that record with exit 0, and `import`, `verify` and `restore` then
 * refused the whole archive at it: a backup of the whole account found
 * unusable only when it was needed. Export now stops naming the object, and
 * writes no file. Run as a real process against the account.mock on 127.0.0.1.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cliFor, DEMO_API_KEY, useOversizedAccount } from "./helpers.js";

const account = useOversizedAccount({ agents: 1 });

describe("an account object over the record bound", { timeout: 60_000 }, () => {
  it("is refused by export, in JSON and NDJSON, rather than written into an archive no reader takes", async () => {
    const cli = cliFor(account.mock, DEMO_API_KEY, account.tmp.dir);
    for (const out of ["big.json", "big.ndjson", "big.json.gz"]) {
      const run = await cli(["export", "--out", out]);
      expect(run.code, `${out}: ${run.stderr}`).toBe(1);
      expect(run.stderr).toContain(`resonant: sessions "${account.session}" is `);
      expect(run.stderr).toMatch(
        /bytes as an archive record, more than the 10485760 \(10 MiB, the API's body limit\) an archive's record may hold: it could never be imported, and import, verify and restore would refuse the whole archive; nothing was written/,
      );
      expect(existsSync(account.tmp.path(out))).toBe(false);
    }
  });
});
