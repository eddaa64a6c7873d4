import { defineConfig } from "tsup";
import { base } from "../../tsup.base.js";

export default defineConfig({
  ...base,
  // bin.ts is the `resonant` command (tsup keeps its shebang and marks it executable);
  // index.ts is the archive layer for library users and the benchmark.
  entry: { bin: "src/bin.ts", index: "src/index.ts" },
  // Node 20 is the floor; the workspace packages stay imports, resolved from node_modules.
  platform: "node",
  // The CLI ships as written: no tree-shaking of a command that runs whole.
  treeshake: false,
});
