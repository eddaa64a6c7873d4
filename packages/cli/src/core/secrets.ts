/**
 * Secrets: an archive never holds one, so every webhook or trigger that an
 * import, a copy or a restore creates gets a new secret on the target, which
 * its owner must hand to whoever signs or checks those calls. The target
 * answers each import with the secrets it made (`secrets` in the import
 * answer, as a create answer holds its one secret); `--secrets-out FILE`
 * receives them as NDJSON, `{"kind", "id", "secret"}` a line, written and
 * flushed to disk (fsync, {@link SecretsFile.sync}) as each answer arrives and
 * before the checkpoint moves on, so a crash never loses one (a resumed run re-sends an unacknowledged batch
 * with the same idempotency key, and the replayed answer holds the same
 * secrets). The file is made with mode 0600 and never overwritten: a new run
 * refuses a file that holds anything, a resumed run appends, and a symbolic
 * link at the name is refused, never followed (fs/durable-log.ts). A server whose answer does not carry
 * them gets `"secret": null` lines that say so. Nothing else (a terminal, a
 * log, a failure log, a checkpoint) ever sees a secret value.
 * @module
 */
import { readFile, stat } from "node:fs/promises";
import { objectKey } from "../archive/format.js";
import { CliError } from "../exit.js";
import { DurableLog } from "../fs/durable-log.js";
import type { Reporter } from "../ui/reporter.js";
import { registerSecret } from "../ui/redact.js";

/** A webhook or trigger whose secret the target created anew; `secret` when the answer carried it. */
export interface NewSecret {
  /** `webhooks` or `triggers`. */
  kind: string;
  /** The object's id (kept from the archive). */
  id: string;
  /** The new secret, when the server's answer held it. */
  secret?: string;
}

const key = (s: { kind: string; id: string }): string => objectKey(s.kind, s.id);

/** The `--secrets-out` file, or a sink that keeps nothing when none was asked for. */
export class SecretsFile {
  readonly #log: DurableLog | undefined;
  readonly #written: Set<string>;
  /** Objects whose secret this run received, and objects whose secret the answer did not hold. */
  readonly counts = { received: 0, withheld: 0 };

  private constructor(log: DurableLog | undefined, written: Set<string>) {
    this.#log = log;
    this.#written = written;
  }

  /**
   * Opens `path` for a new run (refusing a file that holds anything: it may
   * hold an earlier run's secrets) or, when resuming, to append after what
   * the interrupted run wrote. Mode 0600 either way.
   */
  static async open(path: string | undefined, resume: boolean): Promise<SecretsFile> {
    if (path === undefined) return new SecretsFile(undefined, new Set());
    let log: DurableLog;
    try {
      log = await DurableLog.open("--secrets-out", path, {
        existing: resume || (await isEmptyFile(path)) ? "append" : "refuse",
      });
    } catch (error) {
      const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      if (code === "EEXIST")
        throw new CliError(
          `--secrets-out ${path} exists and may hold the secrets of an earlier run: move it away or name another file`,
          { cause: error },
        );
      throw error;
    }
    // Read after the open, which refused a link: what is read is the file appended to. A device or a FIFO
    // is not read: it keeps nothing to read back, and a FIFO, whose writer this run holds, would never end.
    const written = new Set<string>();
    if (resume && log.regular)
      for (const line of (await readFile(path, "utf8")).split("\n")) written.add(lineKey(line));
    return new SecretsFile(log, written);
  }

  /** Records the objects one answered batch created; they are on disk once {@link SecretsFile.sync} resolves. */
  write(entries: readonly NewSecret[]): void {
    const lines: string[] = [];
    for (const entry of entries) {
      if (entry.secret === undefined) this.counts.withheld++;
      else {
        this.counts.received++;
        registerSecret(entry.secret);
      }
      if (this.#log === undefined || this.#written.has(key(entry))) continue;
      this.#written.add(key(entry));
      lines.push(
        JSON.stringify(
          entry.secret === undefined
            ? {
                kind: entry.kind,
                id: entry.id,
                secret: null,
                note: "created anew by the target; its import answer did not return the secret",
              }
            : { kind: entry.kind, id: entry.id, secret: entry.secret },
        ),
      );
    }
    if (this.#log !== undefined && lines.length > 0) this.#log.append(`${lines.join("\n")}\n`);
  }

  /** Resolves once every secret written so far is on disk (before the caller moves its checkpoint on); rejects with a CliError naming the file otherwise. */
  async sync(): Promise<void> {
    await this.#log?.sync();
  }

  /** Syncs and closes the file; throws if what was written could not be kept. */
  async close(): Promise<void> {
    await this.#log?.close();
  }
}

/** An empty file (a run that ended before anything was created) holds nothing to protect. */
async function isEmptyFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size === 0;
  } catch {
    return false;
  }
}

/** The key of a line an earlier run wrote ("" for a line cut by a crash: its batch is answered again on resume). */
function lineKey(line: string): string {
  try {
    return key(JSON.parse(line) as NewSecret);
  } catch {
    return "";
  }
}

/** Names the objects whose secret the target created anew (ids only), and says where their secrets went. */
export function reportNewSecrets(
  objects: readonly { kind: string; id: string }[],
  file: SecretsFile,
  path: string | undefined,
  reporter: Reporter,
): void {
  if (objects.length === 0) return;
  const where =
    path === undefined
      ? "their secrets were not kept: pass --secrets-out FILE to keep them (the target shows a secret only once; re-create an object to get a new one)"
      : file.counts.withheld > 0
        ? `the target did not return ${file.counts.withheld} of them; ${path} lists them with "secret": null`
        : `their secrets are in ${path} (mode 0600)`;
  reporter.event("new_secrets", {
    objects,
    file: path ?? null,
    received: file.counts.received,
    withheld: file.counts.withheld,
  });
  const headline = `${objects.length} webhook/trigger object(s) got a new secret on the target (archives never carry secrets); ${where}`;
  if (path !== undefined) reporter.text(`${headline}:\n${objectList(objects)}`);
  else warnSecretsNotKept(reporter, headline, objects);
}

const objectList = (objects: readonly { kind: string; id: string }[]) =>
  objects.map((o) => `  ${o.kind} ${o.id}`).join("\n");

/**
 * Says `headline` and names each of `objects` (ids only) whose new secret no file keeps. A secret not kept is lost
 * for good, so the list is part of the warning, which --quiet does not hide (a CI log must tell which to re-create).
 */
export function warnSecretsNotKept(
  reporter: Reporter,
  headline: string,
  objects: readonly { kind: string; id: string }[],
): void {
  reporter.warn(`${headline}; the objects whose new secret was not kept:\n${objectList(objects)}`);
}
