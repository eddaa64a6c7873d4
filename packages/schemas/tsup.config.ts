import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/v1.0/index.ts", "src/v1.1/index.ts", "src/v1.2/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  treeshake: true,
});
