/**
 * Private temporary directories (mode 0700, in TMPDIR) for copies of an account's data: standard input's
 * archive, `migrate test`'s journals. They go however the run ends, Ctrl-C, SIGTERM and SIGHUP included.
 * @module
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onInterrupt } from "../core/interrupt.js";

/** A private temporary directory named `<prefix><random>`, and its removal (which an interrupt does too). */
export async function privateTempDir(prefix: string): Promise<{ dir: string; dispose(): Promise<void> }> {
  // Named here rather than by mkdtemp, so its removal is registered before it exists: a signal between the
  // two left it behind.
  const dir = join(tmpdir(), `${prefix}${randomBytes(6).toString("hex")}`);
  const forget = onInterrupt(() => rmSync(dir, { recursive: true, force: true }));
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (error) {
    forget();
    throw error;
  }
  return {
    dir,
    async dispose() {
      forget();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
