/**
 * A live account whose export sends one object twice, met by `verify` and `restore` (export and copy: see
 * export-repeated-ids.test.ts). The diff took the second for an object the archive lacks: verify passed (exit 0)
 * reporting an extra that is the archive's own object, and `restore --prune --yes` deleted that object from the
 * account. Both now stop (exit 1) naming the kind and id, and change nothing. The mock's answers are rewritten on
 * the way out: 1.2's NDJSON lines, 1.1's export pages. Run as real processes.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { describe, expect, it } from "vitest";
import { accountOn, cliFor, warningless } from "./helpers.js";
import { useServerSendingTwice } from "./sends-twice.js";

const server = useServerSendingTwice();

const refusal = () =>
  `resonant: the account's export sends agents "${server.repeated}" twice in its kind: what it holds cannot be told from that answer (the second would look like an object the archive lacks, which restore --prune deletes), so resonant neither compares nor changes anything. Run it again (a live account's export pages can move under a run); if it comes again, the server sends that object twice\n`;

describe.each(["1.2", "1.1"] as const)("API %s: an object the account's export sends twice", (version) => {
  it("stops verify and restore (exit 1), and restore --prune deletes nothing", { timeout: 60_000 }, async () => {
    const cli = cliFor(server.mock, DEMO_API_KEY, server.tmp.dir);
    const v = ["--api-version", version, "--max-retries", "0"];
    server.sendOnce();
    const backup = `backup-${version}.json`;
    const exported = await cli([...v, "export", "--out", backup]);
    expect(exported.code, exported.stderr).toBe(0);
    const before = await accountOn(server.mock, DEMO_API_KEY);

    server.sendTwice(version);
    const verify = await cli([...v, "verify", backup]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(1);
    expect(warningless(verify.stderr)).toBe(refusal());
    expect(verify.stdout).not.toContain("in the account, not in the archive");

    for (const flags of [["--prune", "--yes"], ["--prune", "--dry-run"], []]) {
      const restore = await cli([...v, "restore", backup, ...flags]);
      expect(restore.code, `${flags.join(" ")}: ${restore.stdout}${restore.stderr}`).toBe(1);
      expect(warningless(restore.stderr)).toBe(refusal());
      expect(restore.stdout).not.toContain("deleted");
    }
    server.sendOnce();
    expect(await accountOn(server.mock, DEMO_API_KEY)).toEqual(before);
    // With the export whole again, the account matches its backup.
    const again = await cli([...v, "verify", backup]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it("stops verify when the object sent twice is one the archive lacks", { timeout: 60_000 }, async () => {
    const cli = cliFor(server.mock, DEMO_API_KEY, server.tmp.dir);
    const v = ["--api-version", version, "--max-retries", "0"];
    server.sendOnce();
    const full = `full-${version}.json`;
    expect((await cli([...v, "export", "--out", full])).code).toBe(0);
    server.sendTwice(version);
    // The archive without the object the export will send twice (its counts and checksum dropped with it).
    await cli([...v, "verify", full]); // learns which object the server repeats
    const doc = JSON.parse(await readFile(join(server.tmp.dir, full), "utf8")) as Record<string, unknown> & {
      agents: { id: string }[];
    };
    doc.agents = doc.agents.filter((agent) => agent.id !== server.repeated);
    delete doc.counts;
    delete doc.checksum;
    const lacking = `lacking-${version}.json`;
    await writeFile(join(server.tmp.dir, lacking), JSON.stringify(doc));
    const verify = await cli([...v, "verify", lacking]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(1);
    expect(warningless(verify.stderr)).toBe(refusal());
    server.sendOnce();
  });
});
