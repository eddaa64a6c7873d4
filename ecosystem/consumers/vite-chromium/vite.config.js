import { builtinModules } from "node:module";
import { defineConfig } from "vite";

// Vite replaces a Node built-in in a browser build with an empty stub and only
// warns; this plugin makes any such import reachable from the page an error.
const nodeBuiltins = new Set(builtinModules);
const refuseNodeBuiltins = {
  name: "refuse-node-builtins",
  enforce: "pre",
  resolveId(id, importer) {
    if (id.startsWith("node:") || nodeBuiltins.has(id))
      this.error(`${importer ?? "?"} imports the Node module "${id}", which a browser does not have`);
    return null;
  },
};

export default defineConfig({
  plugins: [refuseNodeBuiltins],
  logLevel: "warn",
  build: { outDir: "dist", emptyOutDir: true },
});
