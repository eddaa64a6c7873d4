/**
 * Whether a checkpoint may be resumed by this run: a resume skips every record the checkpoint counts as
 * acknowledged, so it must go on into the very account (and, for a copy, from the very account) those
 * acknowledgements came from. Anything else would report the run whole while the records the first run
 * sent live in another account. Each refusal happens before a request is sent (exit 1).
 * @module
 */
import { realpath, stat } from "node:fs/promises";
import type { Endpoint } from "../context.js";
import { withoutUserinfo } from "../core/identity.js";
import { CliError } from "../exit.js";
import { sameFile } from "../fs/same-file.js";
import type { CheckpointState } from "./checkpoint.js";
import type { ArchiveInfo } from "./format.js";

/**
 * An account as a checkpoint names it: where, which version, and the fingerprint of its key (never the key),
 * salted as in `saved` (an account a checkpoint names, to compare with it), else afresh (to write one).
 */
export function accountOf(endpoint: Endpoint, saved?: Record<string, unknown>): Record<string, unknown> {
  return {
    base_url: endpoint.baseURL ?? null,
    api_version: endpoint.apiVersion,
    key_fingerprint: endpoint.keyFingerprint(saved?.key_fingerprint),
  };
}

/**
 * Refuses to resume the checkpoint at `path` with `endpoint` unless it is the `role` (`target`, or a copy's
 * `source`) account the checkpoint names in `saved`.
 */
export function checkSameAccount(
  path: string,
  role: "target" | "source",
  saved: Record<string, unknown>,
  endpoint: Endpoint,
): void {
  const now = accountOf(endpoint, saved);
  // An older resonant kept the base URL with its password: compared, and named, without it.
  const savedURL = typeof saved.base_url === "string" ? withoutUserinfo(saved.base_url) : saved.base_url;
  if (savedURL !== now.base_url || saved.api_version !== now.api_version)
    throw new CliError(
      `--resume: the checkpoint ${path} was made for another ${role} (${String(savedURL ?? "the default base URL")}, API ${String(saved.api_version)}); nothing was sent`,
    );
  // Written by a resonant from before fingerprints: the account it was made for cannot be told.
  if (typeof saved.key_fingerprint !== "string")
    throw new CliError(
      `--resume: the checkpoint ${path} was written by an older resonant and does not record which ${role} account it was made for, so resuming could skip records this account never received; nothing was sent. Run without --resume to start over (ids are kept, so nothing is created twice)`,
    );
  if (saved.key_fingerprint !== now.key_fingerprint)
    throw new CliError(
      `--resume: the checkpoint ${path} was made for another ${role} account (its key is not the one the interrupted run used): resuming would skip the records the checkpoint counts as done, and this account would lack them; nothing was sent. Resume with the interrupted run's key, or run without --resume to start over`,
    );
}

/**
 * What identifies the archive at `path` between runs (never its content): the file by its real path and
 * by its device and inode, so `big.json`, `./big.json`, an absolute path or one through a linked directory
 * all name it; and its size, modification time, API version and counts, so a changed file is not it.
 */
export async function archiveOf(path: string, info: ArchiveInfo): Promise<Record<string, unknown>> {
  const s = await stat(path);
  return {
    file: await realpath(path),
    file_id: `${s.dev}:${s.ino}`,
    bytes: s.size,
    mtime_ms: Math.trunc(s.mtimeMs),
    api_version: info.apiVersion,
    counts: info.counts,
  };
}

/**
 * Refuses to resume the checkpoint at `path` with the archive `name` ({@link archiveOf}'s `now`) unless it
 * is the file `saved` names, unchanged. Either the real path or the device and inode may match: a device
 * number may change across a reboot, and a path when the folder was moved.
 */
export function checkSameArchive(
  path: string,
  name: string,
  saved: Record<string, unknown>,
  now: Record<string, unknown>,
): void {
  const { file, file_id, ...content } = saved;
  const { file: nowFile, file_id: nowId, ...nowContent } = now;
  const same = file === nowFile || (file_id !== undefined && file_id === nowId);
  if (!same)
    throw new CliError(
      `--resume: ${name} is not the file the checkpoint ${path} was made for (that was ${String(file)}); remove the checkpoint to start over`,
    );
  if (JSON.stringify(content) !== JSON.stringify(nowContent))
    throw new CliError(
      `--resume: ${name} is not the file the checkpoint ${path} was made for (it changed); remove the checkpoint to start over`,
    );
}

/** What a new run is, for {@link otherRun}: its command, its accounts by role, and (for an import) its archive. */
export interface RunIdentity {
  /** `import` or `copy`. */
  command: string;
  /** The accounts: a copy's source and target, an import's target. */
  accounts: { role: "target" | "source"; endpoint: Endpoint }[];
  /** An import's archive: its name and {@link archiveOf}. */
  archive?: { name: string; now: Record<string, unknown> };
}

/**
 * Why the checkpoint `saved` at `path` is another run's, in a few words (made by another command, for
 * another account, for another archive or a changed one: what a `--resume` of `run` would refuse), or
 * undefined when it is `run`'s own. The checks are {@link checkSameAccount}'s and {@link checkSameArchive}'s.
 */
export function otherRun(path: string, saved: CheckpointState, run: RunIdentity): string | undefined {
  if (saved.command !== run.command) return `made by resonant ${saved.command}`;
  const refuses = (check: () => void) => {
    try {
      check();
      return false;
    } catch (error) {
      if (error instanceof CliError) return true;
      throw error;
    }
  };
  for (const { role, endpoint } of run.accounts) {
    const savedAccount = role === "source" ? saved.source : saved.target;
    if (refuses(() => checkSameAccount(path, role, savedAccount, endpoint))) return `made for another ${role} account`;
  }
  if (run.archive && refuses(() => checkSameArchive(path, run.archive!.name, saved.source, run.archive!.now)))
    return `made for another archive, or ${run.archive.name} as it was before it changed`;
  return undefined;
}

/**
 * A resume skips the first `acked` records of each kind by their place, so the source must still hold, in
 * that place, what the interrupted run sent: an archive is the same file (above), but a copy's source is a
 * live account, and an object deleted there since would shift the rest down, so that the first one never
 * sent was skipped as sent. The id of the last record counted (`last_ids`) is checked where it must be, and a
 * kind that now ends before it is refused too. `now` is the id found there, or undefined when the kind ends first.
 */
export function sourceChanged(
  path: string,
  kind: string,
  acked: number,
  was: string,
  now: string | undefined,
): CliError {
  const found = now === undefined ? `it now holds fewer than ${acked}` : `it is now ${now}`;
  return new CliError(
    `--resume: the source changed since the interrupted run: ${kind} record ${acked}, the last the checkpoint ${path} counts as sent, was ${was} and ${found}, so a resume would skip records never sent; run without --resume to start over (ids are kept, so nothing is created twice; what was deleted from the source since stays in the target)`,
  );
}

/**
 * Refuses a `--resume` whose `--failures` is not the interrupted run's failure log, or whose `--secrets-out` is
 * another file than the one it kept new secrets in (both from `saved`, the checkpoint at `path`; an older
 * checkpoint without them is not checked), before anything is sent: a resume appends to them, so another file
 * (one that holds something else) would be added to, and the run's items would lie in two files. Leaving
 * either out after a run that had it is refused (the secrets of what the resume creates would exist nowhere
 * else); so is a failure log after a run that had none, which would miss what was refused before the cut.
 * A `--secrets-out` after a run without one is taken: it keeps what this run creates.
 */
export async function checkSameFiles(
  path: string,
  saved: Pick<CheckpointState, "failures" | "secrets_out">,
  given: { failures?: string | undefined; secretsOut?: string | undefined },
): Promise<void> {
  const { failures, secrets_out: secrets } = saved;
  if (typeof secrets === "string" && given.secretsOut === undefined)
    throw new CliError(
      `--resume: the interrupted run kept the new secrets of the webhooks and triggers it created in --secrets-out ${secrets}; resume with it (the secrets of what this run creates exist nowhere else); nothing was sent`,
    );
  if (typeof secrets === "string" && !(await sameFile(secrets, given.secretsOut!)))
    throw new CliError(
      `--resume: --secrets-out ${given.secretsOut} is not the file the interrupted run kept new secrets in, ${secrets}: a resume appends to that one, and to no other file; resume with --secrets-out ${secrets}; nothing was sent`,
    );
  if (failures === undefined || (failures === null && given.failures === undefined)) return;
  if (failures === null)
    throw new CliError(
      `--resume: the interrupted run kept no failure log (it had no --failures), so --failures ${given.failures} would name only the items refused after the cut; resume without --failures, or run without --resume to start over with it (the checkpoint ${path} is replaced); nothing was sent`,
    );
  if (given.failures === undefined)
    throw new CliError(
      `--resume: the interrupted run logged the items the target refused in --failures ${failures}; resume with it (this run's refused items belong in the same log); nothing was sent`,
    );
  if (!(await sameFile(failures, given.failures)))
    throw new CliError(
      `--resume: --failures ${given.failures} is not the interrupted run's failure log, ${failures}: a resume appends to that one, and to no other file; resume with --failures ${failures}; nothing was sent`,
    );
}
