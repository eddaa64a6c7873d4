/**
 * Run in a child process by the sync tests: serves the mock on a loopback
 * port and prints one JSON line `{ baseURL, demoKey, otherKey, agentIds }`.
 * A server in the test's own thread would deadlock (the thread sleeps in
 * Atomics.wait while the worker calls it), and MSW cannot reach a worker.
 * Seeding happens here because `api.seed` works only in-process.
 */
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer } from "@resonantgenesis/mock/server";

/** How many agents the demo account starts with: more than one page of the default size. */
const AGENTS = Number(process.env.SEED_AGENTS ?? 45);

// 1.0 gone and 1.1 deprecated whatever today's date is, for the lifecycle tests.
// MOCK_EVOLVE=1 serves the evolved server (a later 1.x: new fields, values and kinds).
const server = await startMockServer({
  port: 0,
  evolve: process.env.MOCK_EVOLVE === "1",
  versionStates: { "1.0": "gone", "1.1": "deprecated", "1.2": "current" },
});
const agentIds = server.api.seed({ agents: AGENTS, tools: 2, sessions: 3, memories: 4, webhooks: 1 }).agents;
// A second, empty account to import into.
const other = server.api.createAccount();
console.log(JSON.stringify({ baseURL: server.baseURL, demoKey: DEMO_API_KEY, otherKey: other.key, agentIds }));

const stop = () => void server.close().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// Stop with the test run even if it forgets to kill us.
process.stdin.on("end", stop);
process.stdin.resume();
