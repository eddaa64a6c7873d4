// One mock server per consumer run, so that parallel consumers never see each
// other's sessions and each can check its export's counts against its seed.
// The runner serves the workspace's built mock: the mock is the fixture here,
// the packed SDK is what is under test.
import { pathToFileURL } from "node:url";
import { join } from "node:path";

/** What every consumer's account holds before the scenario runs. */
export const SEED = { tools: 2, agents: 5, teams: 1, sessions: 2, memories: 2, triggers: 1, webhooks: 1 };

/** @returns {Promise<{ baseURL: string, apiKey: string, expected: object, close(): Promise<void> }>} */
export async function startMock(root) {
  const { startMockServer } = await import(pathToFileURL(join(root, "packages/mock/dist/server.js")).href);
  const { DEMO_API_KEY } = await import(pathToFileURL(join(root, "packages/mock/dist/index.js")).href);
  const mock = await startMockServer({ stepDelayMs: 5 });
  const seeded = mock.api.seed(SEED);
  const counts = Object.fromEntries(Object.entries(seeded).map(([kind, ids]) => [kind, ids.length]));
  counts.sessions += 1; // the scenario streams one more session
  return {
    baseURL: mock.baseURL,
    apiKey: DEMO_API_KEY,
    expected: { agents: counts.agents, exported: counts },
    close: () => mock.close(),
  };
}

/** Why a consumer's result does not match what its mock holds, or undefined. */
export function mismatch(result, expected, entry) {
  if (entry && result.entry !== entry) return `the ${result.entry} entry was loaded, not the ${entry} one`;
  if (result.agents !== expected.agents) return `listed ${result.agents} agents, the mock holds ${expected.agents}`;
  for (const [kind, count] of Object.entries(expected.exported)) {
    if (result.exported?.[kind] !== count)
      return `exported ${result.exported?.[kind]} ${kind}, the mock holds ${count}`;
  }
  if (!result.streamText || result.webhook !== "evt_01" || !result.notFoundRequestId)
    return `incomplete result ${JSON.stringify(result)}`;
  return undefined;
}
