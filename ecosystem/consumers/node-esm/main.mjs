// Node 20, ESM: the package's `node` condition gives the Node entry (its
// keep-alive node:http transport, and SyncClient).
import * as sdk from "@resonantgenesis/sdk";
import { RESULT_PREFIX, runScenario } from "./scenario.mjs";

const baseURL = process.env.RESONANT_BASE_URL;
const apiKey = process.env.RESONANT_API_KEY;
const result = await runScenario(sdk, { baseURL, apiKey });

// Only the Node entry has SyncClient: a blocking call from a worker thread, whose code must be in the tarball.
const sync = new sdk.SyncClient({ apiKey, baseURL });
const agents = sync.agents.list();
sync.close();
if (agents.length !== result.agents)
  throw new Error(`SyncClient listed ${agents.length} agents, the async client ${result.agents}`);

console.log(RESULT_PREFIX + JSON.stringify(result));
