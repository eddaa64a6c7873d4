// Node 20, ESM: the package's `node` condition gives the Node entry (its
// keep-alive node:http transport, and SyncClient).
import { RESULT_PREFIX, runScenario } from "./scenario.mjs";

const baseURL = process.env.RESONANT_BASE_URL;
const apiKey = process.env.RESONANT_API_KEY;

// The sync entry first and alone, as an app that needs only SyncClient loads it: a blocking call from a worker
// thread, whose code must be in the tarball, with no other entry having wired the transport.
const { SyncClient } = await import("@resonantgenesis/sdk/sync");
const sync = new SyncClient({ apiKey, baseURL });
const agents = sync.agents.list();
sync.close();

const sdk = await import("@resonantgenesis/sdk");
if (sdk.SyncClient !== SyncClient) throw new Error("the Node entry's SyncClient is not the sync entry's");
const result = await runScenario(sdk, { baseURL, apiKey });
if (agents.length !== result.agents)
  throw new Error(`SyncClient listed ${agents.length} agents, the async client ${result.agents}`);

console.log(RESULT_PREFIX + JSON.stringify(result));
