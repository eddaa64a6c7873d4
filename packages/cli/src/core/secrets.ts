/**
 * Secrets: an archive never holds one, so every webhook or trigger that an
 * import or a copy creates gets a new secret on the target, which its
 * owner must hand to whoever signs or checks those calls. The CLI names each
 * such object; `--secrets-out FILE` (mode 0600) receives the list as NDJSON.
 * The API's import answer does not return the new secrets themselves, so the
 * file holds the ids (and where to read or rotate each secret), never a
 * secret value on a terminal or in a log.
 * @module
 */
import { writeFile } from "node:fs/promises";
import type { Reporter } from "../ui/reporter.js";

/** Reports the objects whose secret the target created anew, and writes `file` if asked. */
export async function writeSecretsReport(objects: readonly { kind: string; id: string }[], file: string | undefined, reporter: Reporter): Promise<void> {
  if (objects.length > 0) {
    reporter.event("new_secrets", { objects });
    reporter.text(`${objects.length} webhook/trigger object(s) got a new secret on the target (archives never carry secrets):\n${objects.map((o) => `  ${o.kind} ${o.id}`).join("\n")}`);
  }
  if (file === undefined) return;
  const lines = objects.map((o) => JSON.stringify({ kind: o.kind, id: o.id, secret: null, note: "created anew by the target; the import answer does not return it" }));
  await writeFile(file, lines.length ? `${lines.join("\n")}\n` : "", { mode: 0o600 });
}
