/**
 * `pnpm mock`: serves the mock on 127.0.0.1:4010 (PORT or --port), with the
 * demo account seeded and sessions paced so a person can watch them stream.
 * `--evolve` answers as a later 1.x server (new fields, enum values, event
 * types and a kind; see evolve.ts). Ctrl-C stops it.
 * @module
 */
import { API_VERSION_NAMES, CURRENT_API_VERSION } from "@resonantgenesis/schemas/meta";
import { DEMO_API_KEY } from "./auth.js";
import { startMockServer } from "./server.js";

function portFromArgs(argv: string[]): number | undefined {
  const index = argv.findIndex((a) => a === "--port" || a.startsWith("--port="));
  if (index === -1) return undefined;
  const arg = argv[index]!;
  const value = arg.includes("=") ? arg.split("=")[1] : argv[index + 1];
  return value === undefined ? undefined : Number(value);
}

const port = portFromArgs(process.argv.slice(2)) ?? (process.env.PORT ? Number(process.env.PORT) : 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid port: ${String(port)}`);
  process.exit(2);
}

const evolve = process.argv.slice(2).includes("--evolve");

const server = await startMockServer({
  port,
  evolve,
  host: process.env.HOST ?? "127.0.0.1",
  seed: true,
  stepDelayMs: Number(process.env.MOCK_STEP_DELAY_MS ?? 400),
  // Every version served, whatever today's date says about their sunsets; the
  // lifecycle can still be tried with the X-API-Version of a test mock.
  versionStates: Object.fromEntries(
    API_VERSION_NAMES.map((v) => [v, v === CURRENT_API_VERSION ? "current" : "deprecated"]),
  ),
});

console.log(
  `ResonantGenesis mock API listening on ${server.url}${evolve ? " (evolved: answers as a later 1.x server)" : ""}`,
);
console.log(`  base URL: ${server.baseURL}   (versions: /api/v1.0, /api/v1.1, /api/v1.2)`);
console.log(`  API key:  ${DEMO_API_KEY}`);
console.log(`  try:      curl -s -H "Authorization: Bearer ${DEMO_API_KEY}" ${server.baseURL}/v1.2/agents`);
console.log("Press Ctrl-C to stop.");

const stop = () => {
  void server.close().finally(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
