// Bundles an app that uses the SDK for the browser, from the built package,
// and fails if any node: module (or Node-only code such as the SyncClient
// worker) is reachable from the browser entry.
import { build } from "esbuild";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

// The universal entry, and the SyncClient's own entry, which a browser bundle must build without Node's modules
// (constructing a SyncClient there throws the ResonantError that says it needs Node). Each with the inputs it must not reach: the universal entry no SyncClient code at all, the sync entry no Node
// transport (its channel names Node's modules to process.getBuiltinModule, which runs only in Node).
const APPS = {
  "@resonantgenesis/sdk": [
    `import * as sdk from "@resonantgenesis/sdk";
  const client = new sdk.ResonantClient({ apiKey: async () => "t" });
  globalThis.__keep = [sdk, client.agents.get("x"), client.data.exportAll()];`,
    /(^|\/)node:|\/src\/(node|sync)\/|dist\/(index\.node|sync)/,
  ],
  "@resonantgenesis/sdk/sync": [
    `import { SyncClient } from "@resonantgenesis/sdk/sync";
  globalThis.__keep = () => new SyncClient({ apiKey: "t" });`,
    /(^|\/)node:|\/src\/node\/|dist\/(index|sync)\.node|sync-worker/,
  ],
};
for (const [entry, [app, forbidden]] of Object.entries(APPS)) {
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
  const nodeOnly = inputs.filter((p) => forbidden.test(p));
  const text = result.outputFiles[0].text;
  const nodeImports = text.match(/(?:\bfrom|\bimport\(?)\s*["']node:[a-z_/]+["']/g) ?? [];
  if (nodeOnly.length > 0 || nodeImports.length > 0) {
    console.error(`The browser bundle of ${entry} reaches Node-only code:`, [...nodeOnly, ...nodeImports]);
    process.exit(1);
  }
  console.log(
    `browser bundle of ${entry} ok: ${inputs.length} inputs, ${(text.length / 1024).toFixed(1)} KB min, ${(gzipSync(text).length / 1024).toFixed(1)} KB gzip, no node: import`,
  );
}
