/**
 * `resonant migrate test [--from FILE]`: up, down and up again on a copy in
 * the embedded mock (see src/migrate/test-runner.ts); prints each difference
 * by kind, id and field; exit 0, or 3 when the copy did not come back or the
 * second up differs from the first.
 * @module
 */
import type { Command } from "commander";
import { makeClient } from "../../context.js";
import { liveRecords } from "../../core/records.js";
import { EXIT, type ExitCode } from "../../exit.js";
import type { Difference } from "../../migrate/compare.js";
import { archiveSource, testMigrations, type TestOutcome } from "../../migrate/test-runner.js";
import { Reporter } from "../../ui/reporter.js";
import { setup } from "../common.js";

function lines(title: string, diffs: Difference[]): string {
  const out = [title];
  for (const d of diffs.slice(0, 50)) {
    if (d.problem !== "changed") out.push(`  ${d.kind} ${d.id}: ${d.problem}`);
    else
      for (const f of d.fields)
        out.push(`  ${d.kind} ${d.id} ${f.path}: expected ${JSON.stringify(f.before)}, got ${JSON.stringify(f.after)}`);
  }
  if (diffs.length > 50) out.push(`  ... ${diffs.length - 50} more (--json lists them all)`);
  return out.join("\n");
}

/** What to say of the objects the copy could not take: how many, and the first three, so the operator can look. */
function notCopiedNote(notCopied: TestOutcome["notCopied"]): string {
  const shown = notCopied.slice(0, 3).map(({ kind, id, message }) => `${kind} ${JSON.stringify(id)} (${message})`);
  const more = notCopied.length > shown.length ? `, and ${notCopied.length - shown.length} more` : "";
  return `migrate test: the copy could not take ${notCopied.length} of the account's objects, so the test runs without them and says nothing of them: ${shown.join("; ")}${more}`;
}

/** Runs `migrate test`. */
export async function runMigrateTest(options: { dir: string; from?: string }, command: Command): Promise<ExitCode> {
  const { globals, reporter } = setup(command);
  let source: Awaited<ReturnType<typeof archiveSource>>;
  if (options.from) source = await archiveSource(options.from);
  else {
    // Read-only: the live account is only exported.
    const { client, endpoint } = makeClient(globals, reporter);
    source = { records: liveRecords(client, reporter), apiVersion: endpoint.apiVersion };
  }
  // The runs inside the copy print nothing but warnings: what matters is the comparison.
  const inner = new Reporter({ json: false, quiet: true, stream: process.stderr });
  const outcome = await testMigrations({ dir: options.dir, source, reporter: inner, globals });
  if (outcome.notCopied.length > 0) reporter.warn(notCopiedNote(outcome.notCopied));
  const ok = outcome.notRestored.length === 0 && outcome.notDeterministic.length === 0 && outcome.failed === 0;
  const code = ok ? EXIT.ok : EXIT.differences;
  if (outcome.notRestored.length)
    reporter.text(lines("up then down did not restore the account:", outcome.notRestored));
  if (outcome.notDeterministic.length)
    reporter.text(lines("the second up differs from the first (not deterministic):", outcome.notDeterministic));
  if (outcome.failed)
    reporter.text(
      `${outcome.failed} write(s) were refused or conflicted inside the copy, by ${outcome.failedRevisions.join(", ")}`,
    );
  // Only the revisions at fault: those whose writes were refused, by name; the differences are the chain's
  // (the copy is compared before and after all of them), so the chain is named for them, as a chain.
  const differs = [
    outcome.notRestored.length ? "not restored by down" : "",
    outcome.notDeterministic.length ? "not deterministic" : "",
  ]
    .filter(Boolean)
    .join(" and ");
  const chain = outcome.revisions.length === 1 ? outcome.revisions[0] : `${outcome.revisions.join(", ")} run together`;
  const faults = [
    outcome.failed ? `writes refused in ${outcome.failedRevisions.join(", ")}` : "",
    differs ? `${differs}: ${chain}` : "",
  ].filter(Boolean);

  reporter.summary(
    [],
    {
      command: "migrate test",
      revisions: outcome.revisions,
      not_restored: outcome.notRestored,
      not_deterministic: outcome.notDeterministic,
      failed: outcome.failed,
      failed_revisions: outcome.failedRevisions,
      not_copied: outcome.notCopied,
      exit_code: code,
    },
    outcome.revisions.length === 0
      ? "nothing pending to test"
      : ok
        ? `up, down, up again: ${outcome.revisions.join(", ")} restore the account and are deterministic (on a copy; the account was not written to)`
        : `migrate test found problems: ${faults.join("; ")} (on a copy; the account was not written to)`,
  );
  return code;
}
