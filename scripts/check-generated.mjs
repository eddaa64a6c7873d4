// After `pnpm build` (whose schemas step regenerates the answer checkers):
// fails when the build changed the committed checkers, i.e. a schema was
// changed without running `pnpm --filter @resonantgenesis/schemas gen:checks`
// and committing what it wrote. CI builds from a clean clone, so a stale
// commit fails here rather than passing on checkers the build made for it.
import { execFileSync } from "node:child_process";

const changed = execFileSync("git", ["status", "--porcelain", "--", "packages/schemas/src/checks"], {
  encoding: "utf8",
}).trim();
if (changed !== "") {
  console.error(
    `The generated checkers differ from the committed ones:\n${changed}\nRun \`pnpm --filter @resonantgenesis/schemas gen:checks\` and commit packages/schemas/src/checks.`,
  );
  process.exit(1);
}
console.log("generated checkers ok: the committed files are what the schemas generate");
