import { defineConfig } from "tsup";

export default defineConfig({
  // bin.ts is the `resonant` command (tsup keeps its shebang and marks it executable);
  // index.ts is the archive layer for library users and the benchmark.
  entry: { bin: "src/bin.ts", index: "src/index.ts" },
  format: ["esm"],
  // Declarations come from tsc (tsconfig.build.json), as in the other packages.
  dts: false,
  clean: true,
  sourcemap: true,
  target: "es2022",
  // Node 20 is the floor; the workspace packages stay imports, resolved from node_modules.
  platform: "node",
});
