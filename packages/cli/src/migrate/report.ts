/**
 * How a plan is shown: a table per revision (kind, update, create, delete,
 * restore), the first changes as field-level lines, and with `--json` one
 * `change` event per object (each changed field's before and after).
 * @module
 */
import { warnSecretsNotKept } from "../core/secrets.js";
import type { Reporter } from "../ui/reporter.js";
import { renderTable } from "../ui/table.js";
import type { PlanCounts, PlanSink } from "./ctx.js";
import { opChanges, type PlannedOp } from "./plan.js";
import type { StepResult } from "./step.js";

const SHOWN = 20;

const short = (v: unknown) => {
  const text = JSON.stringify(v) ?? "undefined";
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** A sink that shows each planned op (a dry run): a `change` event, and the first ones as lines handed to `say`. */
export function printingSink(
  reporter: Reporter,
  revision: string,
  say: (line: string) => void = (line) => reporter.text(line),
): PlanSink {
  let shown = 0;
  return (op: PlannedOp) => {
    const fields = opChanges(op);
    reporter.event("change", { revision, op: op.op, kind: op.kind, id: op.id, fields });
    if (shown < SHOWN) {
      say(
        `  ${op.op} ${op.kind} ${op.id}${op.op === "update" ? `: ${fields.map((f) => `${f.path} ${short(f.before)} -> ${short(f.after)}`).join(", ")}` : ""}`,
      );
    } else if (shown === SHOWN) say("  ... (--json lists every change)");
    shown++;
  };
}

/** The plan's table. */
export function planTable(counts: Record<string, PlanCounts>): string {
  const rows = Object.entries(counts).map(([kind, c]) => [kind, c.update, c.create, c.delete, c.restore]);
  return rows.length ? renderTable(["kind", "update", "create", "delete", "restore"], rows) : "nothing to change";
}

/** One line: `update 12 agents, delete 3 triggers`. */
export function planLine(counts: Record<string, PlanCounts>): string {
  const parts: string[] = [];
  for (const [kind, c] of Object.entries(counts))
    for (const op of ["update", "create", "delete", "restore"] as const)
      if (c[op]) parts.push(`${op} ${c[op]} ${kind}`);
  return parts.join(", ") || "nothing";
}

/** A step's outcome as data: its `step` event, and its entry in the run's summary. */
export function stepFacts(s: StepResult) {
  return {
    revision: s.revision,
    direction: s.direction,
    state: s.state,
    written: Object.values(s.totals).reduce((n, t) => n + t.done, 0),
    failed: s.failed,
    conflicts: s.conflicts,
    backup: s.backup,
    resumed: s.resumed,
  };
}

/** A step's outcome, said as it ends: `up a1: applied (backup backups/...)`. */
export function reportStep(reporter: Reporter, s: StepResult): void {
  reporter.event("step", stepFacts(s));
  const failed = s.failed ? `, ${s.failed} failed` : "";
  const conflicts = s.conflicts.length ? `, ${s.conflicts.length} conflict(s)` : "";
  reporter.text(
    `${s.direction} ${s.revision}: ${s.state}${failed}${conflicts}${s.backup ? ` (backup ${s.backup})` : ""}`,
  );
}

/**
 * Names the webhooks and triggers a revision created or put back (ids only): the server gave each a new secret,
 * shown once, and resonant migrate keeps none. Said as import does, as a warning, which --quiet does not hide.
 */
export function reportNewSecrets(
  reporter: Reporter,
  revision: string,
  objects: readonly { kind: string; id: string }[],
): void {
  if (objects.length === 0) return;
  reporter.event("new_secrets", { revision, objects, file: null, received: objects.length, withheld: 0 });
  warnSecretsNotKept(
    reporter,
    `revision ${revision}: ${objects.length} webhook/trigger object(s) got a new secret from the server, which resonant migrate does not keep (the server shows a secret only once): whoever checks their signatures needs it, so re-create each through the API to get a secret you keep`,
    objects,
  );
}
