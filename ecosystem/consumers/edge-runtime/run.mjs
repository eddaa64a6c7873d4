// Bundles entry.mjs for an edge runtime (the edge-light, worker and browser
// conditions, as Next.js does for its edge functions) and evaluates it in an
// EdgeVM, which has fetch, streams and Web Crypto but no `process`, `Buffer`,
// `require` or node: module. Node's built-ins (`node:*`, and bare names such as
// `crypto`, which tsup writes) are left external on purpose: a reachable one
// then fails inside the VM (no require), where a user's edge function would
// fail, rather than being rejected by this bundler alone.
import { builtinModules } from "node:module";
import { build } from "esbuild";
import { EdgeVM } from "@edge-runtime/vm";
import { RESULT_PREFIX } from "./scenario.mjs";

const { outputFiles } = await build({
  entryPoints: ["entry.mjs"],
  bundle: true,
  write: false,
  format: "iife",
  platform: "browser",
  conditions: ["edge-light", "worker", "browser"],
  external: ["node:*", ...builtinModules],
  target: "es2022",
  logLevel: "warning",
});

const vm = new EdgeVM();
// The VM must really lack Node's globals, or this test would prove nothing.
const nodeGlobals = vm.evaluate(
  `["process", "Buffer", "require", "setImmediate", "global"].filter((name) => typeof globalThis[name] !== "undefined")`,
);
if (nodeGlobals.length > 0) throw new Error(`the EdgeVM has Node globals: ${nodeGlobals.join(", ")}`);

vm.evaluate(outputFiles[0].text);
const options = JSON.stringify({ baseURL: process.env.RESONANT_BASE_URL, apiKey: process.env.RESONANT_API_KEY });
// JSON inside the VM, so the result crosses realms as plain text.
const result = await vm.evaluate(`runEcosystemScenario(${options}).then((result) => JSON.stringify(result))`);
console.log(RESULT_PREFIX + result);
