/**
 * `--failures FILE` never empties a file that holds anything: a new run
 * refuses it before anything is sent (it may be an earlier run's log, or a
 * secrets file named by mistake, whose secrets exist nowhere else), while a
 * resumed run appends to its own log. Run as a real process against the mock.
 */
import { execFileSync } from "node:child_process";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { canMakeDevices, events, exportedAccount } from "./helpers.js";

// Made while the file is collected (top-level await), closed after its tests.
const { mock, tmp, cli, archive, close } = await exportedAccount({ agents: 4, sessions: 8, webhooks: 2 }, "wh.json");
afterAll(() => close());

const newKey = () => mock.api.createAccount().key;

describe("--failures FILE that exists", () => {
  it("a secrets file named by mistake: exit 1 naming --failures, nothing sent, the secrets kept byte for byte", async () => {
    const secrets = tmp.path("sec.ndjson");
    const first = await cli(["import", archive, "--secrets-out", secrets], { env: { RESONANT_API_KEY: newKey() } });
    expect(first.code, first.stderr).toBe(0);
    const kept = await readFile(secrets, "utf8");
    expect(kept).toContain("whsec_");

    const sent = mock.imports().length;
    const run = await cli(["import", archive, "--failures", secrets], { env: { RESONANT_API_KEY: newKey() } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `resonant: --failures ${secrets} exists and is not empty: resonant never overwrites it (it may be an earlier run's failures, or another file); move it away or name another file (--resume appends to it)\n`,
    );
    expect(await readFile(secrets, "utf8")).toBe(kept);
    expect(mock.imports().length).toBe(sent);
  });

  it("an empty file and a device are written to, as before (a --secrets-out too)", async () => {
    const empty = tmp.path("empty.ndjson");
    await writeFile(empty, "");
    for (const failures of [empty, "/dev/null"]) {
      const run = await cli(["import", archive, "--failures", failures], { env: { RESONANT_API_KEY: newKey() } });
      expect(run.code, run.stderr).toBe(0);
    }
    // So is a secrets file (the webhooks' new secrets go to the device): a secrets file need not be a regular file.
    const secrets = tmp.path("empty-secrets.ndjson");
    await writeFile(secrets, "");
    for (const path of [secrets, "/dev/null"]) {
      const run = await cli(["import", archive, "--secrets-out", path], { env: { RESONANT_API_KEY: newKey() } });
      expect(run.code, run.stderr).toBe(0);
    }
    expect(await readFile(secrets, "utf8")).toContain("whsec_");
  });

  it("--resume appends to the interrupted run's log: its lines stay, none is written twice", async () => {
    // Sessions of agents the archive lacks are refused (logged); then the webhooks' call is cut, which ends the run.
    const doc = JSON.parse(await readFile(archive, "utf8")) as Record<string, unknown>;
    const agents = doc.agents as { id: string }[];
    doc.agents = agents.slice(0, 2);
    delete doc.counts;
    delete doc.checksum;
    const partial = tmp.path("partial.json");
    await writeFile(partial, JSON.stringify(doc));
    const failures = tmp.path("partial-failures.ndjson");
    const key = newKey();
    const args = ["import", partial, "--failures", failures, "--max-retries", "0"];
    mock.dropImport = (n) => (n >= 2 ? "before" : undefined);
    const cut = await cli(args, { env: { RESONANT_API_KEY: key } }).finally(() => (mock.dropImport = undefined));
    expect(cut.code, cut.stderr).toBe(1);
    expect(cut.stderr).toContain("--resume");
    const logged = await readFile(failures, "utf8");
    expect(logged).toContain('"kind":"sessions"');

    const resumed = await cli([...args, "--resume"], { env: { RESONANT_API_KEY: key } });
    expect(resumed.code, resumed.stderr).toBe(2);
    expect(await readFile(failures, "utf8")).toBe(logged);
  });
});

// A device node made here with mknod, with /dev/full's numbers: every write to it is ENOSPC.
describe.skipIf(!canMakeDevices)("--failures on a full disk", () => {
  it("exit 1 naming it, and (the checkpoint holding the run) the advice to --resume, in words and in the --json error event", async () => {
    const doc = JSON.parse(await readFile(archive, "utf8")) as Record<string, unknown>;
    doc.agents = (doc.agents as unknown[]).slice(0, 2);
    delete doc.counts;
    delete doc.checksum;
    const partial = tmp.path("full-disk.json");
    await writeFile(partial, JSON.stringify(doc));
    const full = tmp.path("full-device");
    execFileSync("mknod", [full, "c", "1", "7"]);
    const key = newKey();
    const hint = `; the checkpoint ${partial}.checkpoint keeps what was acknowledged: run again with --resume`;
    const cause = `--failures ${full}: no space left on device (ENOSPC)`;

    const run = await cli(["import", partial, "--failures", full], { env: { RESONANT_API_KEY: key } });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toBe(`resonant: ${cause}${hint}\n`);
    const json = await cli(["import", partial, "--failures", full, "--json", "--resume"], {
      env: { RESONANT_API_KEY: key },
    });
    expect(json.code, json.stderr).toBe(1);
    expect(events(json.stdout).at(-1)).toMatchObject({ event: "error", message: `${cause}${hint}`, exit_code: 1 });
    await stat(`${partial}.checkpoint`);

    // With room (a regular file at the log's name: a resume appends to the interrupted run's log and no other),
    // --resume carries on and logs every refused item.
    await rm(full);
    const resumed = await cli(["import", partial, "--failures", full, "--resume"], {
      env: { RESONANT_API_KEY: key },
    });
    expect(resumed.code, resumed.stderr).toBe(2);
    expect(await readFile(full, "utf8")).toContain('"kind":"sessions"');
  });
});
