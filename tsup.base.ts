import type { Options } from "tsup";

/**
 * What every package's build shares: ESM for ES2022, with source maps.
 * Declarations come from tsc (each package's tsconfig.build.json): one .d.ts
 * per module keeps every per-version name intact, which a bundled .d.ts renamed apart.
 */
export const base = {
  format: ["esm"],
  dts: false,
  clean: true,
  sourcemap: true,
  target: "es2022",
  treeshake: true,
} satisfies Options;
