// Packs the public packages once with `pnpm pack`, as a release would publish
// them (workspace: ranges rewritten, only `files` included).
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { execOrThrow } from "./exec.mjs";

export const PACKAGES = ["schemas", "sdk", "mock", "cli"];
/** What a consumer installs unless it names its own list: the libraries, not the CLI. */
export const LIBRARIES = ["schemas", "sdk", "mock"];

/** @returns {Promise<string[]>} the tarballs' absolute paths */
export async function packAll(root, destination) {
  await Promise.all(
    PACKAGES.map((pkg) =>
      execOrThrow("pnpm", ["pack", "--pack-destination", destination], { cwd: join(root, "packages", pkg) }),
    ),
  );
  const tarballs = (await readdir(destination)).filter((name) => name.endsWith(".tgz"));
  if (tarballs.length !== PACKAGES.length)
    throw new Error(`expected ${PACKAGES.length} tarballs, got ${tarballs.join(", ")}`);
  return tarballs.map((name) => join(destination, name));
}
