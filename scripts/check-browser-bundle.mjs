// Bundles an app that uses the SDK for the browser, from the built package,
// and fails if any node: module (or Node-only code such as the SyncClient
// worker) is reachable from the browser entry.
import { build } from "esbuild";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const app = `import * as sdk from "@resonantgenesis/sdk";
  const client = new sdk.ResonantClient({ apiKey: async () => "t" });
  globalThis.__keep = [sdk, client.agents.get("x"), client.data.exportAll()];`;
const result = await build({
  // Resolved from inside the sdk package (a package may import itself by
  // name), with esbuild's browser conditions: the built dist, as users get it.
  stdin: { contents: app, resolveDir: join(process.cwd(), "packages/sdk"), sourcefile: "app.js" },
  bundle: true,
  platform: "browser",
  format: "esm",
  minify: true,
  write: false,
  metafile: true,
  logLevel: "silent",
});
const inputs = Object.keys(result.metafile.inputs);
const nodeOnly = inputs.filter((p) => /(^|\/)node:|\/src\/(node|sync)\/|dist\/(index\.node|sync)/.test(p));
const text = result.outputFiles[0].text;
const nodeImports = text.match(/["']node:[a-z_/]+["']/g) ?? [];
if (nodeOnly.length > 0 || nodeImports.length > 0) {
  console.error("The browser bundle reaches Node-only code:", [...nodeOnly, ...nodeImports]);
  process.exit(1);
}
console.log(
  `browser bundle ok: ${inputs.length} inputs, ${(text.length / 1024).toFixed(1)} KB min, ${(gzipSync(text).length / 1024).toFixed(1)} KB gzip, no node: import`,
);
