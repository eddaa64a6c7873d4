// Deno resolves bare specifiers from node_modules (nodeModulesDir "manual"),
// with the `deno` and `node` conditions: the Node entry on Deno's node: layer.
import * as sdk from "@resonantgenesis/sdk";
import { RESULT_PREFIX, runScenario } from "./scenario.mjs";

if (typeof Deno === "undefined") throw new Error("not running under Deno");
const result = await runScenario(sdk, {
  baseURL: Deno.env.get("RESONANT_BASE_URL"),
  apiKey: Deno.env.get("RESONANT_API_KEY"),
});
console.log(RESULT_PREFIX + JSON.stringify({ ...result, runtime: `deno ${Deno.version.deno}` }));
