// Copies a consumer folder to a fresh directory and installs it with npm, as a
// user would: the packed tarballs (no workspace links) plus the folder's own
// package.json dependencies, all from the npm registry.
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { execOrThrow } from "./exec.mjs";

/**
 * @param {{ source: string, target: string, scenario: string, tarballs: string[], extra?: string[] }} options
 *   extra: more specs for `npm install` (another TypeScript version, say); `tarballs` may be a subset (a browser project without the mock).
 */
export async function installConsumer({ source, target, scenario, tarballs, extra = [] }) {
  await cp(source, target, { recursive: true, filter: (path) => !/node_modules|dist$/.test(path) });
  await cp(scenario, join(target, "scenario.mjs"));
  // --install-links=false and no lockfile: a clean install every run, nothing cached beyond npm's own download cache.
  await execOrThrow(
    "npm",
    ["install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error", ...tarballs, ...extra],
    { cwd: target, timeoutMs: 300_000 },
  );
}
