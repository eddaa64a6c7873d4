/**
 * The CLI's tests run `resonant` as users run it: the built `dist/bin.js`, its workspace packages
 * resolved to their own builds. A package whose build is older than its sources (or missing) is
 * built first, so a test never runs a CLI from before the change under test.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
// In dependency order: each is built after what it imports.
const PACKAGES = ["schemas", "sdk", "mock", "cli"];

function newest(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Builds each package whose sources changed since its `dist/` was written. */
export default function setup(): void {
  const shared = newest(join(ROOT, "tsup.base.ts"));
  for (const name of PACKAGES) {
    const dir = join(ROOT, "packages", name);
    const built = statSync(join(dir, "dist", "index.js"), { throwIfNoEntry: false })?.mtimeMs ?? 0;
    const sources = Math.max(shared, ...["src", "package.json", "tsup.config.ts"].map((p) => newest(join(dir, p))));
    if (sources > built)
      execFileSync("pnpm", ["--filter", `@resonantgenesis/${name}`, "build"], { cwd: ROOT, stdio: "inherit" });
  }
}
