/**
 * A migrate run cut by an answer a resume gets again (a 501; a 410, as a resume runs under the journal's API
 * version) keeps why in its journal, so what reads the journal later gives the advice the cut gave (restore the
 * backup, move the journal away, plan anew) and sends nothing: `history`, `current`, the next plain run, `--resume`
 * and a dry run. A cut a resume gets past (a 401) still advises `--resume`, and the latest cut of a journal counts.
 */
import { appendFile, readFile, realpath } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { followRestoreAdvice, MODEL_RENAME, useMigrateAccount, writeMigrations } from "./migrate-helpers.js";

const account = useMigrateAccount({ agents: 10 });
afterEach(() => account.mock.api.faults.reset());

const JOURNAL = "migrations/.journal/a1.up.ndjson";
const NOT_IMPLEMENTED =
  "the server does not implement this request (501 Not Implemented), and answers it the same when a resume sends it again, until it implements it";
const patches = () => account.mock.seen.filter((s) => s.method === "PATCH").length;

/** The migration, and the path of the last agent it renames (the one a fault answers: the others go first). */
async function setup(): Promise<string> {
  await writeMigrations(account.tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
  const agents = (await account.snapshot()).agents!.filter((a) => a.model === "gpt-4-turbo");
  expect(agents.length).toBeGreaterThan(2);
  return `/agents/${String(agents.at(-1)!.id)}`;
}

/** Asserts that `text` gives the cut's advice for a1's up journal, `why` a resume cannot get past, and `undo`. */
function expectAdvice(text: string, why: string, undo: string): void {
  expect(text).toContain(`up a1 was cut with its plan in ${JOURNAL}, and \`--resume\` cannot carry it on: ${why}.`);
  expect(text).toContain(
    `Writes before it may have gone out: ${undo}; then move ${JOURNAL} away, and the next \`resonant migrate up\` plans a1 anew`,
  );
  expect(text).not.toContain("migrate up --resume");
}

/** The `interrupted` of `history --json`'s a1 and of `current --json`. */
async function interruptedFacts(): Promise<{ history: Record<string, unknown>; current: Record<string, unknown> }> {
  const last = async (args: string[]) => {
    const run = await account.cli(["--json", "migrate", ...args]);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
  };
  const history = (await last(["history"])).revisions as { revision: string; interrupted: Record<string, unknown> }[];
  return {
    history: history.find((r) => r.revision === "a1")!.interrupted,
    current: (await last(["current"])).interrupted as Record<string, unknown>,
  };
}

/** Asserts that history, current, the next up, `--resume` and a dry run all give the advice and write nothing. */
async function expectEveryReaderAdvises(why: string, undo: string, apiVersion: string[] = []): Promise<void> {
  const { cli } = account;
  const p0 = patches();
  const history = await cli([...apiVersion, "migrate", "history"]);
  expect(history.code, history.stderr).toBe(0);
  expect(history.stdout).toMatch(/a1 +interrupted /);
  expectAdvice(history.stdout, why, undo);
  const current = await cli([...apiVersion, "migrate", "current"]);
  expect(current.code, current.stderr).toBe(0);
  expectAdvice(current.stdout, why, undo);
  const facts = await interruptedFacts();
  for (const f of [facts.history, facts.current]) {
    expect(f).toMatchObject({ direction: "up", resumable: false });
    expectAdvice(String(f.advice), why, undo);
  }
  for (const args of [["--yes"], ["--resume", "--yes"], ["--dry-run"]]) {
    const run = await cli([...apiVersion, "migrate", "up", ...args]);
    expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(1);
    expectAdvice(run.stderr, why, undo);
    expect(run.stderr).toMatch(/; nothing was written\n/);
    expect(run.stderr).not.toContain("carrying on");
  }
  expect(patches()).toBe(p0);
}

describe("the cause of a cut, kept in the journal", { timeout: 120_000 }, () => {
  it("a 501: history, current, the next up, --resume and a dry run give the cut's advice, which gets a1 applied", async () => {
    const { mock, tmp, cli } = account;
    const last = await setup();
    const before = await account.snapshot();
    // The server does not implement the last agent's update: it answers it 501 every time.
    mock.api.faults.set({ method: "PATCH", path: last, status: 501 });
    const cut = await cli(["migrate", "up", "--yes", "--concurrency", "1", "--backup", "b.json"]);
    expect(cut.code).toBe(1);
    const undo = `\`resonant restore ${join(await realpath(tmp.dir), "b.json")}\` puts back what they changed (\`--prune\` also deletes what they created)`;
    expectAdvice(cut.stderr, NOT_IMPLEMENTED, undo);
    expect((await readFile(tmp.path(JOURNAL), "utf8")).trimEnd().split("\n").at(-1)).toMatch(
      /^\{"t":"cut","cause":"not_implemented","at":"[^"]+"\}$/,
    );

    // Read later, the backup is named as the cut named it: by its absolute path, as the journal records it.
    await expectEveryReaderAdvises(NOT_IMPLEMENTED, undo);

    // The advice, followed once the server implements the request: restored, the journal moved away, a1 applied.
    mock.api.faults.reset();
    await followRestoreAdvice(account, before, JOURNAL);
  });

  it("a 410: the journal's version is gone, so neither --resume nor another --api-version carries it on", async () => {
    const { mock, cli } = account;
    const last = await setup();
    mock.api.faults.set({ method: "PATCH", path: last, status: 410 });
    const cut = await cli(["migrate", "up", "--yes", "--concurrency", "1", "--no-backup"]);
    expect(cut.code).toBe(1);
    const gone =
      /the server no longer serves API ([^,]+), and a resume runs under the API version the journal was planned with/.exec(
        cut.stderr,
      )?.[0];
    expect(gone, cut.stderr).toBeDefined();
    const undo = "no backup was taken (--no-backup): the journal's before-images hold what they changed";
    expectAdvice(cut.stderr, gone!, undo);
    await expectEveryReaderAdvises(gone!, undo);
    // A resume under a version still served is not offered either: the journal's writes are its version's.
    await expectEveryReaderAdvises(gone!, undo, ["--api-version", "1.1"]);
  });

  it("a cut a resume gets past advises --resume; a resume cut then by a 501 does not (the latest cut counts)", async () => {
    const { mock, tmp, cli } = account;
    const last = await setup();
    // A key refused mid-run: resumed with a good one, the run carries on.
    mock.api.faults.once({ method: "PATCH", status: 401 });
    const cut = await cli(["migrate", "up", "--yes", "--concurrency", "1", "--no-backup"]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain(
      `up a1 was cut with its plan in ${JOURNAL}: carry on with \`resonant migrate up --resume\` once the cause is gone`,
    );
    expect((await cli(["migrate", "history"])).stdout).toMatch(
      /a1 +interrupted .*\(run `resonant migrate up --resume`\)/,
    );
    expect((await interruptedFacts()).current).toMatchObject({ resumable: true });
    const plain = await cli(["migrate", "up", "--yes"]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(
      /migrate up a1 was interrupted \(run \w+\): carry on with `resonant migrate up --resume`/,
    );

    // Resumed, it meets a 501 on the last agent: now the resume cannot get past it.
    mock.api.faults.set({ method: "PATCH", path: last, status: 501 });
    const resumed = await cli(["migrate", "up", "--resume", "--yes"]);
    expect(resumed.code).toBe(1);
    const undo = "no backup was taken (--no-backup): the journal's before-images hold what they changed";
    expectAdvice(resumed.stderr, NOT_IMPLEMENTED, undo);
    await expectEveryReaderAdvises(NOT_IMPLEMENTED, undo);

    // A line after the 501's is a later run's, whose cut is the one that counts: here one a resume gets past (a lost
    // connection), written by hand, since this resonant refuses that resume; the journal is then resumed.
    mock.api.faults.reset();
    await appendFile(tmp.path(JOURNAL), `${JSON.stringify({ t: "cut", cause: null, at: new Date().toISOString() })}\n`);
    expect((await cli(["migrate", "history"])).stdout).toMatch(
      /a1 +interrupted .*\(run `resonant migrate up --resume`\)/,
    );
    const carried = await cli(["migrate", "up", "--resume", "--yes"]);
    expect(carried.code, carried.stderr).toBe(0);
    expect((await cli(["migrate", "history"])).stdout).toMatch(/a1 +applied/);
  });

  it("a partial revision whose retry a 501 cut is not retried again: history, current and the next up give the cut's advice", async () => {
    const { mock, cli } = account;
    const last = await setup();
    mock.api.faults.once({ method: "PATCH", path: last, status: 422 });
    const partial = await cli(["migrate", "up", "--yes", "--no-backup"]);
    expect(partial.code, partial.stderr).toBe(2);
    // The retry of the refused write meets a 501.
    mock.api.faults.set({ method: "PATCH", path: last, status: 501 });
    const retry = await cli(["migrate", "up", "--yes"]);
    expect(retry.code).toBe(1);
    const undo = "no backup was taken (--no-backup): the journal's before-images hold what they changed";
    expectAdvice(retry.stderr, NOT_IMPLEMENTED, undo);
    // history and current keep the ledger's state (partial) and add the cut's advice; they said nothing of it.
    const history = await cli(["migrate", "history"]);
    expect(history.stdout).toMatch(/a1 +partial /);
    expectAdvice(history.stdout, NOT_IMPLEMENTED, undo);
    const current = await cli(["migrate", "current"]);
    expect(current.stdout).toMatch(
      /^current: a1 \(gpt-4-turbo to gpt-4\.1\) \[partial\] \(head\); migrate up a1 was cut/,
    );
    expectAdvice(current.stdout, NOT_IMPLEMENTED, undo);
    const facts = await interruptedFacts();
    for (const f of [facts.history, facts.current]) {
      expect(f).toMatchObject({ direction: "up", resumable: false });
      expectAdvice(String(f.advice), NOT_IMPLEMENTED, undo);
    }
    const p0 = patches();
    for (const args of [["--yes"], ["--dry-run"]]) {
      const again = await cli(["migrate", "up", ...args]);
      expect(again.code, again.stderr).toBe(1);
      expectAdvice(again.stderr, NOT_IMPLEMENTED, undo);
      expect(again.stderr).toMatch(/; nothing was written\n/);
    }
    expect(patches()).toBe(p0);
  });
});
