/**
 * `import`, `verify` and `restore` read their archive several times: checked whole, then compared or sent.
 * Each reading used to open the name again, so a file put at that name in between (a scheduled
 * `resonant export --out backup.json`, renamed over it) was the one compared or sent: a restore confirmed on
 * the plan of one backup wrote the other's objects, exit 0. Every reading now goes through the file opened
 * first, and a file changed in place is refused. Run as real processes against the mock.
 */
import { appendFile, readFile, rename, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { accountOn, DEMO_API_KEY, seededCli } from "./helpers.js";

const { mock, tmp, cli, close } = await seededCli({ agents: 3 });
afterAll(close);

const names = async () => ((await accountOn(mock, DEMO_API_KEY)).agents as { name: string }[]).map((a) => a.name);

async function rename0(to: string): Promise<void> {
  const id = ((await accountOn(mock, DEMO_API_KEY)).agents as { id: string }[])[0]!.id;
  const res = await fetch(`${mock.baseURL}/v1.2/agents/${id}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${DEMO_API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ name: to }),
  });
  expect(res.status).toBe(200);
}

/** Runs `change` once, while the account is read (the archive was read before, and is read again after). */
function whileTheAccountIsRead(change: () => Promise<void>): void {
  let done = false;
  mock.onRequest = async (seen) => {
    if (done || seen.method !== "GET" || !seen.path.endsWith("/data/export")) return;
    done = true;
    await change();
  };
}

describe("an archive replaced or changed while a command reads it", () => {
  it("restore: a backup renamed over the name after the plan was made is not the one restored", async () => {
    const backup = tmp.path("backup.json");
    expect((await cli(["export", "--out", backup])).code).toBe(0);
    const before = await names();
    await rename0("changed-after-the-backup");
    const newer = tmp.path("newer.json");
    expect((await cli(["export", "--out", newer])).code).toBe(0);

    whileTheAccountIsRead(() => rename(newer, backup));
    const run = await cli(["restore", backup, "--yes"]).finally(() => (mock.onRequest = undefined));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^agents\s+1\s+1\s+0\s+0$/m);
    expect(await names()).toEqual(before);
  });

  it("verify: a backup changed in place while it is read is refused, exit 1, naming it", async () => {
    const backup = tmp.path("in-place.json");
    expect((await cli(["export", "--out", backup])).code).toBe(0);
    const text = await readFile(backup, "utf8");
    // A difference, so that verify reads the archive again after the account (for the changed fields).
    await rename0("changed-after-this-backup");
    whileTheAccountIsRead(() => appendFile(backup, " "));
    const run = await cli(["verify", backup]).finally(() => (mock.onRequest = undefined));
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`resonant: ${backup}: changed while resonant was reading it`);
    await writeFile(backup, text);
  });
});
