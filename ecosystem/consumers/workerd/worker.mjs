// The Worker: each request runs the scenario against the API at
// env.RESONANT_BASE_URL (a text binding in config.capnp) and answers its
// result as JSON, or the error's stack with status 500. It also names the Node
// globals the runtime has, so the test can tell it ran where there are none.
import * as sdk from "@resonantgenesis/sdk";
import { runScenario } from "./scenario.mjs";

const NODE_GLOBALS = ["process", "Buffer", "require", "setImmediate", "global"];

export default {
  async fetch(_request, env) {
    try {
      const result = await runScenario(sdk, { baseURL: env.RESONANT_BASE_URL, apiKey: env.RESONANT_API_KEY });
      return Response.json({
        ...result,
        nodeGlobals: NODE_GLOBALS.filter((name) => typeof globalThis[name] !== "undefined"),
      });
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    }
  },
};
