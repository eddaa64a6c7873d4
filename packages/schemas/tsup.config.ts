import { defineConfig } from "tsup";
import { base } from "../../tsup.base.js";

export default defineConfig({
  ...base,
  entry: [
    "src/index.ts",
    "src/meta.ts",
    "src/error-codes.ts",
    "src/readings.ts",
    "src/report.ts",
    "src/checks/index.ts",
    "src/v1.0/index.ts",
    "src/v1.1/index.ts",
    "src/v1.2/index.ts",
    // The generated checkers (scripts/gen-checks.ts): one entry per version and reading, so an app loads only its own.
    "src/checks/v1.0/compatible.ts",
    "src/checks/v1.0/strict.ts",
    "src/checks/v1.1/compatible.ts",
    "src/checks/v1.1/strict.ts",
    "src/checks/v1.2/compatible.ts",
    "src/checks/v1.2/strict.ts",
  ],
});
