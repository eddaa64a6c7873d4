/**
 * Private temporary directories (mode 0700, in TMPDIR) for copies of an account's data: standard input's
 * archive, `migrate test`'s journals. They go however the run ends, Ctrl-C, SIGTERM and SIGHUP included.
 * @module
 */
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onInterrupt } from "../core/interrupt.js";

/** A private temporary directory named `<prefix><random>`, and its removal (which an interrupt does too). */
export async function privateTempDir(prefix: string): Promise<{ dir: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const forget = onInterrupt(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    async dispose() {
      forget();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
