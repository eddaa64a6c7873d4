/**
 * `migrate new`, `current` and `history`: the folder and the ledger, read.
 * @module
 */
import { basename } from "node:path";
import type { Command } from "commander";
import { EXIT, type ExitCode } from "../../exit.js";
import { buildChain } from "../../migrate/chain.js";
import { drifted, type RevisionState } from "../../migrate/ledger.js";
import { carriedPlan } from "../../migrate/carry-on.js";
import { loadMigrations, migrationFiles, NotAFolderError, type LoadedMigration } from "../../migrate/loader.js";
import { notResumable } from "../../migrate/cut.js";
import { cutRun, type CutRun } from "../../migrate/runner.js";
import { openSession, warnUnknownRevisions, type Session } from "../../migrate/session.js";
import { writeTemplate } from "../../migrate/template.js";
import { setup } from "../common.js";

/** Runs `migrate new`. */
export async function runMigrateNew(
  message: string,
  options: { dir: string; ext: "ts" | "mjs" },
  command: Command,
): Promise<ExitCode> {
  const { reporter } = setup(command);
  // A missing folder is made; a file where the folder should be is refused, not met by mkdir's EEXIST.
  const files = await migrationFiles(options.dir).catch((error: unknown) => {
    if (error instanceof NotAFolderError) throw error;
    return [];
  });
  const head = files.length === 0 ? null : buildChain(await loadMigrations(options.dir), options.dir).at(-1)!.revision;
  // After the highest number in use, not the count: with a file removed, the count would repeat a number.
  const index = Math.max(0, ...files.map((f) => Number(/^(\d+)_/.exec(basename(f))?.[1] ?? 0))) + 1;
  const { file, revision } = await writeTemplate(options.dir, head, message, options.ext, index);
  reporter.summary(
    [],
    { command: "migrate new", file, revision, down_revision: head },
    `wrote ${file} (revision ${revision}, after ${head ?? "base"})`,
  );
  return EXIT.ok;
}

/**
 * The runs cut after their plan, by revision: the ledger still says `pending` (or the state before a
 * cut `down`) although writes may have gone out, so `history` and `current` name them, as `up` does.
 */
async function cutRuns(session: Session): Promise<Map<string, CutRun & { retry?: true }>> {
  const out = new Map<string, CutRun & { retry?: true }>();
  for (const m of session.chain) {
    for (const direction of ["up", "down"] as const) {
      const cut = await cutRun(session, m, direction);
      if (cut && !cut.over) out.set(m.revision, cut);
    }
    const retry = out.has(m.revision) ? undefined : await cutRetry(session, m);
    if (retry) out.set(m.revision, retry);
  }
  return out;
}

/**
 * The retry of a `partial` revision, when an answer a resume gets again cut it: its journal ended (partial) and the
 * ledger names its run, so it is no cut run, but the next run carries that journal on and is refused with the cut's
 * advice (step.ts), which `history` and `current` give too. A retry a resume gets past is retried as before: no note.
 */
async function cutRetry(session: Session, m: LoadedMigration): Promise<(CutRun & { retry: true }) | undefined> {
  const last = session.latest.get(m.revision);
  if (last?.state !== "partial" || last.direction === "stamp") return undefined;
  const carried = await carriedPlan(session, m, last.direction);
  if (!carried?.state.end || !carried.state.begin || !carried.state.planned) return undefined;
  const { begin, planned, cut } = carried.state;
  const facts = { revision: m.revision, direction: last.direction, path: carried.path, backup: planned.backup };
  if (notResumable(facts, cut) === undefined) return undefined;
  return { m, direction: last.direction, begin, facts, cut, over: false, retry: true };
}

/** The advice the cut gave (cut.ts): undefined when `--resume` carries the run on (a kill, or a cause a resume gets past). */
const beyondResume = (cut: CutRun) => notResumable(cut.facts, cut.cut);

/** What to do about a cut run, as `up` and `down` say it. */
const advice = (cut: CutRun) => beyondResume(cut) ?? `run \`resonant migrate ${cut.direction} --resume\``;

/** A cut run in `--json`: whether `--resume` carries it on, and what to do. */
const cutFacts = (cut: CutRun) => ({
  direction: cut.direction,
  run: cut.begin.run,
  resumable: beyondResume(cut) === undefined,
  advice: advice(cut),
});

/** Runs `migrate current`. */
export async function runMigrateCurrent(options: { dir: string }, command: Command): Promise<ExitCode> {
  const { globals, reporter } = setup(command);
  const session = await openSession(options.dir, globals, reporter);
  warnUnknownRevisions(session);
  const m = session.chain[session.current];
  const head = session.chain.at(-1)!;
  const state = m ? session.latest.get(m.revision)?.state : undefined;
  const cut = [...(await cutRuns(session)).values()][0];
  const beyond = cut && beyondResume(cut);
  const note = !cut
    ? ""
    : beyond
      ? `; migrate ${beyond}`
      : `; migrate ${cut.direction} ${cut.m.revision} was interrupted: ${advice(cut)}`;
  // The answer, not a note: --quiet does not silence it (reporter.answer).
  reporter.summary([], {
    command: "migrate current",
    current: m?.revision ?? null,
    state: state ?? null,
    head: head.revision,
    pending: session.chain.length - 1 - session.current,
    interrupted: cut ? { revision: cut.m.revision, ...cutFacts(cut) } : null,
  });
  reporter.answer(
    `current: ${m ? `${m.revision} (${m.message})${state === "partial" ? " [partial]" : ""}` : "base"}${m === head ? " (head)" : `; head ${head.revision}, ${session.chain.length - 1 - session.current} pending`}${note}`,
  );
  return EXIT.ok;
}

/** Runs `migrate history`. */
export async function runMigrateHistory(options: { dir: string }, command: Command): Promise<ExitCode> {
  const { globals, reporter } = setup(command);
  const session = await openSession(options.dir, globals, reporter);
  warnUnknownRevisions(session);
  const cuts = await cutRuns(session);
  const revisions = session.chain.map((m, i) => {
    const record = session.latest.get(m.revision);
    const cut = cuts.get(m.revision);
    // A partial revision's cut retry keeps the ledger's state: the run the ledger names did end, partial.
    const state: RevisionState | "interrupted" = cut && !cut.retry ? "interrupted" : (record?.state ?? "pending");
    return {
      revision: m.revision,
      message: m.message,
      state,
      file: m.file,
      current: i === session.current,
      head: i === session.chain.length - 1,
      drift: drifted(m, record),
      at: record?.at ?? null,
      interrupted: cut ? cutFacts(cut) : null,
    };
  });
  // Left-aligned columns: messages read as text, not numbers.
  const rows = revisions.map((r) => [
    r.revision,
    r.state,
    r.message,
    [
      r.current ? "<- current" : "",
      r.head ? "(head)" : "",
      r.drift ? "(file changed since applied)" : "",
      r.interrupted ? `(${r.interrupted.advice})` : "",
    ]
      .filter(Boolean)
      .join(" "),
  ]);
  const widths = [0, 1, 2].map((c) =>
    Math.max(...[["revision", "state", "message"], ...rows].map((row) => row[c]!.length)),
  );
  const table = [["revision", "state", "message", ""], ...rows]
    .map((row) =>
      row
        .map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
  reporter.summary([], {
    command: "migrate history",
    revisions,
    current: session.chain[session.current]?.revision ?? null,
  });
  reporter.answer(table);
  return EXIT.ok;
}
