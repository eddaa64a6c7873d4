// Node 20.19+, CommonJS: require() loads the SDK's ES modules (require(esm)),
// because its exports map has a `default` condition beside `import`. The SDK
// has no top-level await, which require(esm) refuses.
const sdk = require("@resonantgenesis/sdk");
const { SyncClient } = require("@resonantgenesis/sdk/sync");
// The shared scenario is an ES module too: the same require(esm) path.
const { RESULT_PREFIX, runScenario } = require("./scenario.mjs");

async function main() {
  const baseURL = process.env.RESONANT_BASE_URL;
  const apiKey = process.env.RESONANT_API_KEY;
  // require takes the `node` condition like import does: the Node entry, with SyncClient.
  if (sdk.SyncClient !== SyncClient) throw new Error("require gave the main entry without the Node entry's SyncClient");
  const result = await runScenario(sdk, { baseURL, apiKey });
  const sync = new SyncClient({ apiKey, baseURL });
  const agents = sync.agents.list();
  sync.close();
  if (agents.length !== result.agents)
    throw new Error(`SyncClient listed ${agents.length} agents, the async client ${result.agents}`);
  console.log(RESULT_PREFIX + JSON.stringify(result));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
