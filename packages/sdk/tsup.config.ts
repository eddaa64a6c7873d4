import { defineConfig } from "tsup";

export default defineConfig({
  // Every entry lands in dist/ itself, beside the shared chunks, so the
  // SyncClient code (in whichever chunk) finds ./sync-worker.js next to it.
  entry: {
    index: "src/index.ts",
    "index.node": "src/index.node.ts",
    sync: "src/sync/index.ts",
    "sync-worker": "src/sync/worker.ts",
  },
  format: ["esm"],
  // Declarations come from tsc (tsconfig.build.json): one .d.ts per module keeps every
  // per-version name intact, which a bundled .d.ts renamed apart.
  dts: false,
  clean: true,
  sourcemap: true,
  target: "es2022",
  treeshake: true,
});
