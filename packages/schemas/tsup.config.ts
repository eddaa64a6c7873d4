import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/meta.ts", "src/readings.ts", "src/v1.0/index.ts", "src/v1.1/index.ts", "src/v1.2/index.ts"],
  format: ["esm"],
  // Declarations come from tsc (tsconfig.build.json): one .d.ts per module keeps every
  // per-version name intact, which a bundled .d.ts renamed apart.
  dts: false,
  clean: true,
  sourcemap: true,
  target: "es2022",
  treeshake: true,
});
