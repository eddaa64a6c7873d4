/**
 * A live account whose export sends one object twice, met by `verify` and `restore` (export and copy: see
 * export-repeated-ids.test.ts). The diff took the second for an object the archive lacks: verify passed (exit 0)
 * reporting an extra that is the archive's own object, and `restore --prune --yes` deleted that object from the
 * account. Both now stop (exit 1) naming the kind and id, and change nothing. The mock's answers are rewritten on
 * the way out: 1.2's NDJSON lines, 1.1's export pages. Run as real processes.
 */
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer, type MockServer } from "@resonantgenesis/mock/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountOn, cliFor, tempDir } from "./helpers.js";

const api = createMockApi({
  seed: { tools: 1, agents: 3, sessions: 2 },
  versionStates: { "1.0": "deprecated", "1.1": "deprecated" },
});
/** The id of the agent sent twice, as the last rewritten answer held it. */
let repeated = "";
let agentLines = 0;
let mock: MockServer;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  mock = await startMockServer({ api });
  tmp = await tempDir();
});
afterAll(async () => {
  await mock?.close();
  await tmp?.remove();
});

/** 1.2's NDJSON export: the second agent line twice, and the end line counting both, as a server that means it. */
function twiceInLines(line: string): string {
  if (line.startsWith('{"kind":"end"')) {
    agentLines = 0; // the next export sends its second agent twice too
    const end = JSON.parse(line) as { counts: Record<string, number> };
    end.counts.agents! += 1;
    return JSON.stringify(end);
  }
  if (!line.startsWith('{"kind":"agent"') || ++agentLines !== 2) return line;
  repeated = (JSON.parse(line) as { data: { id: string } }).data.id;
  return `${line}\n${line}`;
}

/** 1.1's paged export of agents: the page with its second agent again at the end. */
function twiceInPage(text: string): string {
  const page = JSON.parse(text) as { agents: { id: string }[] };
  page.agents.push(page.agents[1]!);
  repeated = page.agents[1]!.id;
  return JSON.stringify(page);
}

/** Makes `version`'s export send an agent twice from now on. */
function sendTwice(version: "1.1" | "1.2"): void {
  api.faults.reset();
  agentLines = 0;
  if (version === "1.2") api.faults.set({ method: "GET", path: "/data/export", rewriteLines: twiceInLines });
  else api.faults.set({ method: "GET", path: /\/v1\.1\/agents\/export/, rewrite: twiceInPage });
}

const warningless = (stderr: string) => stderr.replace(/^warning: .*\n/gm, "");
const refusal = () =>
  `resonant: the account's export sends agents "${repeated}" twice in its kind: what the account holds cannot be told from that answer (the second would look like an object the archive lacks, which restore --prune deletes), so resonant neither compares nor changes anything. Run it again (a live account's export pages can move under a run); if it comes again, the server sends that object twice\n`;

describe.each(["1.2", "1.1"] as const)("API %s: an object the account's export sends twice", (version) => {
  it("stops verify and restore (exit 1), and restore --prune deletes nothing", { timeout: 60_000 }, async () => {
    const cli = cliFor(mock, DEMO_API_KEY, tmp.dir);
    const v = ["--api-version", version, "--max-retries", "0"];
    api.faults.reset();
    const backup = `backup-${version}.json`;
    const exported = await cli([...v, "export", "--out", backup]);
    expect(exported.code, exported.stderr).toBe(0);
    const before = await accountOn(mock, DEMO_API_KEY);

    sendTwice(version);
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
    api.faults.reset();
    expect(await accountOn(mock, DEMO_API_KEY)).toEqual(before);
    // With the export whole again, the account matches its backup.
    const again = await cli([...v, "verify", backup]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });
});
