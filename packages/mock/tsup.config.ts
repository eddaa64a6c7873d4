import { defineConfig } from "tsup";
import { base } from "../../tsup.base.js";

export default defineConfig({
  ...base,
  entry: ["src/index.ts", "src/msw.ts", "src/server.ts", "src/cli.ts"],
  external: ["msw"],
});
