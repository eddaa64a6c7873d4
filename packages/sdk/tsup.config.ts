import { defineConfig } from "tsup";
import { base } from "../../tsup.base.js";

export default defineConfig({
  ...base,
  // Every entry lands in dist/ itself, beside the shared chunks, so the
  // SyncClient code (in whichever chunk) finds ./sync-worker.js next to it.
  entry: {
    index: "src/index.ts",
    "index.node": "src/index.node.ts",
    sync: "src/sync/index.ts",
    "sync.node": "src/sync/index.node.ts",
    "sync-worker": "src/sync/worker.ts",
  },
});
