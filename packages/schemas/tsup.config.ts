import { defineConfig } from "tsup";
import { base } from "../../tsup.base.js";

export default defineConfig({
  ...base,
  entry: [
    "src/index.ts",
    "src/meta.ts",
    "src/readings.ts",
    "src/v1.0/index.ts",
    "src/v1.1/index.ts",
    "src/v1.2/index.ts",
  ],
});
