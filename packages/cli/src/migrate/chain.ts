/**
 * The chain of revisions: each migration names the one it follows
 * (`downRevision`), and together they must make one line from the first
 * (`null`) to the head. Two heads, a cycle, a missing parent or a duplicate
 * revision is refused before anything runs, naming the files.
 * @module
 */
import { CliError } from "../exit.js";
import type { LoadedMigration } from "./loader.js";

/** The migrations in order, oldest first. */
export type Chain = readonly LoadedMigration[];

/** Orders `migrations` into their one line, or refuses with every file at fault. */
export function buildChain(migrations: readonly LoadedMigration[], dir: string): Chain {
  if (migrations.length === 0)
    throw new CliError(
      `${dir}: no migrations (.mjs, .js or .ts files); make one with \`resonant migrate new <message>\``,
    );
  const byRevision = new Map<string, LoadedMigration>();
  for (const m of migrations) {
    const other = byRevision.get(m.revision);
    if (other)
      throw new CliError(`revision ${m.revision} is declared twice: ${other.file} and ${m.file}; nothing was run`);
    byRevision.set(m.revision, m);
  }
  for (const m of migrations) {
    if (m.downRevision !== null && !byRevision.has(m.downRevision)) {
      throw new CliError(`${m.file}: downRevision ${m.downRevision} is not a revision of ${dir}; nothing was run`);
    }
  }
  const roots = migrations.filter((m) => m.downRevision === null);
  const children = new Map<string, LoadedMigration[]>();
  for (const m of migrations)
    if (m.downRevision !== null) children.set(m.downRevision, [...(children.get(m.downRevision) ?? []), m]);
  for (const [parent, kids] of children) {
    if (kids.length > 1)
      throw new CliError(
        `two heads: ${kids.map((k) => `${k.file} (${k.revision})`).join(" and ")} both follow ${parent}: make one follow the other; nothing was run`,
      );
  }
  if (roots.length > 1)
    throw new CliError(
      `two first revisions (downRevision null): ${roots.map((r) => r.file).join(" and ")}; nothing was run`,
    );
  if (roots.length === 0)
    throw new CliError(
      `a cycle: no revision has downRevision null (${migrations.map((m) => m.file).join(", ")}); nothing was run`,
    );
  const chain: LoadedMigration[] = [];
  let at: LoadedMigration | undefined = roots[0];
  while (at) {
    chain.push(at);
    at = children.get(at.revision)?.[0];
  }
  if (chain.length !== migrations.length) {
    const cut = migrations.filter((m) => !chain.includes(m));
    throw new CliError(
      `a cycle: ${cut.map((m) => `${m.file} (${m.revision})`).join(", ")} never reach the first revision; nothing was run`,
    );
  }
  return chain;
}

/** The index of `revision` in the chain (`base` is -1), or a clear refusal. */
export function indexOf(chain: Chain, revision: string, what: string): number {
  if (revision === "base") return -1;
  if (revision === "head") return chain.length - 1;
  const i = chain.findIndex((m) => m.revision === revision);
  if (i < 0)
    throw new CliError(
      `${what} ${revision}: no such revision (known: base, ${chain.map((m) => m.revision).join(", ")}, head)`,
    );
  return i;
}
