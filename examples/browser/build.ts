// Bundles the page's script for browsers with esbuild, and fails the build if
// the bundle reaches a `node:` module or the SDK's Node entry: the browser
// build must stay free of Node code (docs/getting-started.md, "Browsers"), and a bundler that quietly
// picked the wrong entry would otherwise only fail in a user's browser.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
/** Where the bundle goes; index.html loads ./dist/main.js. */
export const OUT_FILE = join(here, "dist", "main.js");

/**
 * Builds dist/main.js (or `entry` into `outFile`: the test's own page); throws (with every offending import) if Node
 * code got in.
 */
export async function build(
  entry = join(here, "src", "main.ts"),
  outFile = OUT_FILE,
): Promise<{ bytes: number; inputs: number }> {
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    platform: "browser", // esbuild's browser conditions pick the SDK's universal entry (index.ts)
    format: "esm",
    target: "es2022",
    // Our workspace packages point this condition at their TypeScript sources,
    // so the example needs no `pnpm build` of the packages first.
    conditions: ["@resonantgenesis/source"],
    sourcemap: true,
    metafile: true,
    logLevel: "warning",
  });
  const inputs = Object.keys(result.metafile.inputs);
  const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
  const code = await readFile(outFile, "utf8");
  const offending = [
    ...inputs.filter(
      (path) => path.startsWith("node:") || /sdk[\\/](src|dist)[\\/](index\.node\.|sync[\\/]|node[\\/])/.test(path),
    ),
    ...imports.filter((path) => path.startsWith("node:")),
    ...[...code.matchAll(/(?:from\s*|import\s*\(\s*)["'](node:[^"']+)["']/g)].map((m) => m[1]!),
  ];
  if (offending.length > 0) {
    throw new Error(`the browser bundle reaches Node-only code: ${[...new Set(offending)].join(", ")}`);
  }
  return { bytes: code.length, inputs: inputs.length };
}

// Run directly (`pnpm build`): build and report.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { bytes, inputs } = await build();
    console.log(`built ${OUT_FILE} (${Math.round(bytes / 1024)} KiB from ${inputs} modules, no node: imports)`);
  } catch (error) {
    console.error(`build failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
