/**
 * Whether a checkpoint may be resumed by this run: a resume skips every record the checkpoint counts as
 * acknowledged, so it must go on into the very account (and, for a copy, from the very account) those
 * acknowledgements came from. Anything else would report the run whole while the records the first run
 * sent live in another account. Each refusal happens before a request is sent (exit 1).
 * @module
 */
import type { Endpoint } from "../context.js";
import { CliError } from "../exit.js";

/** An account as a checkpoint names it: where, which version, and the fingerprint of its key (never the key). */
export function accountOf(endpoint: Endpoint): Record<string, unknown> {
  return {
    base_url: endpoint.baseURL ?? null,
    api_version: endpoint.apiVersion,
    key_fingerprint: endpoint.keyFingerprint,
  };
}

/**
 * Refuses to resume the checkpoint at `path` with `now` (from {@link accountOf}) unless it is the `role`
 * (`target`, or a copy's `source`) account the checkpoint names in `saved`.
 */
export function checkSameAccount(
  path: string,
  role: "target" | "source",
  saved: Record<string, unknown>,
  now: Record<string, unknown>,
): void {
  if (saved.base_url !== now.base_url || saved.api_version !== now.api_version)
    throw new CliError(
      `--resume: the checkpoint ${path} was made for another ${role} (${String(saved.base_url ?? "the default base URL")}, API ${String(saved.api_version)}); nothing was sent`,
    );
  // Written by a resonant from before fingerprints: the account it was made for cannot be told.
  if (typeof saved.key_fingerprint !== "string")
    throw new CliError(
      `--resume: the checkpoint ${path} was written by an older resonant and does not record which ${role} account it was made for, so resuming could skip records this account never received; nothing was sent. Run without --resume to start over (ids are kept, so the account converges)`,
    );
  if (saved.key_fingerprint !== now.key_fingerprint)
    throw new CliError(
      `--resume: the checkpoint ${path} was made for another ${role} account (its key is not the one the interrupted run used): resuming would skip the records the checkpoint counts as done, and this account would lack them; nothing was sent. Resume with the interrupted run's key, or run without --resume to start over`,
    );
}
