/**
 * A `--resume` appends to the interrupted run's failure log and to no other file: the checkpoint records it
 * (its absolute path, as it records `--secrets-out`), and a resume with another `--failures` (a file that
 * holds something else), without one after a run that had one, or with one after a run that had none is
 * refused before anything is sent, naming both. The same log spelt otherwise (a relative name from its
 * folder) is accepted. Real processes against the mock.
 */
import { readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exportedAccount } from "./helpers.js";

const { mock, tmp, cli, archive, close } = await exportedAccount({ agents: 4, sessions: 8 }, "resume-log.json");
afterAll(() => close());

/** The archive with half its agents: their sessions are refused (logged) when imported. */
async function partialArchive(name: string): Promise<string> {
  const doc = JSON.parse(await readFile(archive, "utf8")) as Record<string, unknown>;
  doc.agents = (doc.agents as unknown[]).slice(0, 2);
  delete doc.counts;
  delete doc.checksum;
  const file = tmp.path(name);
  await writeFile(file, JSON.stringify(doc));
  return file;
}

/** Runs `args` with the last sessions batch (its import call 4, in batches of 2) carried out and its answer lost. */
async function cut(key: string, args: readonly string[]): Promise<void> {
  let calls = -1;
  mock.dropImport = () => (++calls === 4 ? "after" : undefined);
  const run = await cli([...args, "--batch-size", "2", "--max-retries", "0"], { env: { RESONANT_API_KEY: key } });
  mock.dropImport = undefined;
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toContain("--resume");
}

const resume = (key: string, file: string, extra: readonly string[]) =>
  cli(["import", file, "--resume", ...extra], { env: { RESONANT_API_KEY: key } });

describe("--resume and --failures", () => {
  it("another file, or none, is refused before anything is sent; the interrupted run's log, however spelt, is appended to", async () => {
    const file = await partialArchive("with-log.json");
    const log = tmp.path("first-failures.ndjson");
    const key = mock.api.createAccount().key;
    await cut(key, ["import", file, "--failures", log]);
    const logged = await readFile(log, "utf8");
    expect(logged).toContain('"kind":"sessions"');
    const sent = mock.imports().length;

    const other = tmp.path("notes.ndjson");
    await writeFile(other, '{"not":"a failure"}\n');
    const another = await resume(key, file, ["--failures", other]);
    expect(another.code).toBe(1);
    expect(another.stderr).toBe(
      `resonant: --resume: --failures ${other} is not the interrupted run's failure log, ${log}: a resume appends to that one, and to no other file; resume with --failures ${log}; nothing was sent\n`,
    );
    expect(await readFile(other, "utf8")).toBe('{"not":"a failure"}\n');

    const none = await resume(key, file, []);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      `resonant: --resume: the interrupted run logged the items the target refused in --failures ${log}; resume with it (this run's refused items belong in the same log); nothing was sent\n`,
    );
    expect(mock.imports().length).toBe(sent);
    expect(await readFile(log, "utf8")).toBe(logged);

    // The same log by a relative name, from its folder.
    const resumed = await resume(key, file, ["--failures", basename(log)]);
    expect(resumed.code, resumed.stderr).toBe(2);
    const lines = (await readFile(log, "utf8")).split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(logged.split("\n").filter(Boolean).length);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it("a log added on resume, after a run that kept none, is refused", async () => {
    const file = await partialArchive("without-log.json");
    const key = mock.api.createAccount().key;
    await cut(key, ["import", file]);
    const added = tmp.path("added-failures.ndjson");
    const run = await resume(key, file, ["--failures", added]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `resonant: --resume: the interrupted run kept no failure log (it had no --failures), so --failures ${added} would name only the items refused after the cut; resume without --failures, or run without --resume to start over with it (the checkpoint ${file}.checkpoint is replaced); nothing was sent\n`,
    );
    const resumed = await resume(key, file, []);
    expect(resumed.code, resumed.stderr).toBe(2);
  });

  it("copy: a resume with another --failures is refused the same way, naming both", async () => {
    const to = mock.api.createAccount().key;
    const checkpoint = tmp.path("copy.checkpoint");
    const log = tmp.path("copy-failures.ndjson");
    const args = ["copy", "--to-key", to, "--checkpoint", checkpoint];
    let calls = -1;
    mock.dropImport = () => (++calls === 2 ? "after" : undefined);
    const cutRun = await cli([...args, "--failures", log, "--batch-size", "2", "--max-retries", "0"]);
    mock.dropImport = undefined;
    expect(cutRun.code, cutRun.stderr).toBe(1);
    const sent = mock.imports().length;

    const other = tmp.path("copy-other.ndjson");
    const run = await cli([...args, "--failures", other, "--resume"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `resonant: --resume: --failures ${other} is not the interrupted run's failure log, ${log}: a resume appends to that one, and to no other file; resume with --failures ${log}; nothing was sent\n`,
    );
    expect(mock.imports().length).toBe(sent);
    const resumed = await cli([...args, "--failures", log, "--resume"]);
    expect(resumed.code, resumed.stderr).toBe(0);
  });
});
