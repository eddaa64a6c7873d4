// The Worker: each request runs the scenario against the API at
// env.RESONANT_BASE_URL (a text binding in config.capnp) and answers its
// result as JSON, or the error's stack with status 500.
import * as sdk from "@resonantgenesis/sdk";
import { runScenario } from "./scenario.mjs";

export default {
  async fetch(request, env) {
    try {
      return Response.json(await runScenario(sdk, { baseURL: env.RESONANT_BASE_URL, apiKey: env.RESONANT_API_KEY }));
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    }
  },
};
