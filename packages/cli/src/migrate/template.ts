/**
 * `migrate new`: a migration file from a template, with a fresh revision
 * and the folder's head as its `downRevision`.
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** A fresh revision: 12 hex digits. */
export function newRevision(): string {
  return randomBytes(6).toString("hex");
}

/** `add metadata.tier` -> `add_metadata_tier`. */
export function slug(message: string): string {
  return (
    message
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 48) || "migration"
  );
}

/** The file's text. */
export function template(revision: string, downRevision: string | null, message: string, ext: "ts" | "mjs"): string {
  const typed = ext === "ts";
  // A type-only import, erased when the file loads: the migration runs wherever `resonant` does (installed
  // globally, by npx, in a folder without package.json), and an editor with the CLI installed still types `ctx`.
  return `${typed ? 'import type { Migration } from "@resonantgenesis/cli";\n\n' : ""}/**
 * ${message.replace(/\*\//g, "* /")}
 *
 * Every write goes through ctx (journaled, shown by --dry-run, undone by down).
 * Test it on a copy first: resonant migrate test
 */
export default {
  revision: ${JSON.stringify(revision)},
  downRevision: ${JSON.stringify(downRevision)},
  message: ${JSON.stringify(message)},

  async up(ctx) {
    // await ctx.update("agents", { where: (a) => a.model === "gpt-4-turbo", set: { model: "gpt-4.1" } });
  },

  // Without down(), migrate down reverses this run's journal.
  // async down(ctx) {},
}${typed ? " satisfies Migration" : ""};
`;
}

/** Writes the new file into `dir` (made if missing); answers its path. */
export async function writeTemplate(
  dir: string,
  downRevision: string | null,
  message: string,
  ext: "ts" | "mjs",
  index: number,
): Promise<{ file: string; revision: string }> {
  const revision = newRevision();
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${String(index).padStart(4, "0")}_${revision}_${slug(message)}.${ext}`);
  await writeFile(file, template(revision, downRevision, message, ext), { flag: "wx" });
  return { file, revision };
}
