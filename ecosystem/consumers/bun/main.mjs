// Bun resolves the package's `node` condition too, so this is the Node entry
// (node:http transport) on Bun's Node compatibility layer.
import * as sdk from "@resonantgenesis/sdk";
import { RESULT_PREFIX, runScenario } from "./scenario.mjs";

if (typeof Bun === "undefined") throw new Error("not running under Bun");
const result = await runScenario(sdk, { baseURL: process.env.RESONANT_BASE_URL, apiKey: process.env.RESONANT_API_KEY });
console.log(RESULT_PREFIX + JSON.stringify({ ...result, runtime: `bun ${Bun.version}` }));
