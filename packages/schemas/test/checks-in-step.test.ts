/**
 * The committed checkers (src/checks/) are what the generator makes of the
 * schemas today, and they stay plain code: a schema changed without running
 * the generator again fails here, as does anything that would need zod or
 * code generation at run time.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateChecks } from "../scripts/gen-checks.js";

const PACKAGE = join(import.meta.dirname, "..");
const files = generateChecks();
const committed = (path: string) => readFileSync(join(PACKAGE, path), "utf8");

describe("the generated checkers", () => {
  it("are six files, compatible and strict for each version", () => {
    expect(Object.keys(files).sort()).toEqual(
      ["1.0", "1.1", "1.2"].flatMap((v) => [`src/checks/v${v}/compatible.ts`, `src/checks/v${v}/strict.ts`]),
    );
  });

  it.each(Object.keys(files))("%s is in step with the schemas", (path) => {
    const current = committed(path);
    if (current !== files[path])
      expect.fail(
        `${path} is not what the schemas generate: run \`pnpm --filter @resonantgenesis/schemas gen:checks\``,
      );
  });

  it.each(Object.keys(files))("%s needs no zod, no new Function and no eval", (path) => {
    const text = committed(path);
    expect(text).not.toMatch(/zod/i);
    expect(text).not.toMatch(/new\s+Function|\bFunction\s*\(/);
    expect(text).not.toMatch(/\beval\b/);
    // What they import: the shared helpers and the rules, which neither import zod nor generate code.
    for (const [, from] of text.matchAll(/from "([^"]+)"/g))
      expect(["../../rules.js", "../runtime.js", "../strings.js", "../types.js"]).toContain(from);
    for (const helper of ["src/checks/runtime.ts", "src/checks/strings.ts", "src/rules.ts"]) {
      const source = committed(helper);
      expect(source).not.toMatch(/^import /m);
      expect(source).not.toMatch(/new\s+Function|\bFunction\s*\(|\beval\s*\(/);
    }
  });
});
