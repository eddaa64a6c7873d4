/**
 * `pnpm mock`: serves the mock on 127.0.0.1:4010 (PORT or --port), with the
 * demo account seeded and sessions paced so a person can watch them stream.
 * `--evolve` answers as a later 1.x server (new fields, enum values, event
 * types and a kind; see evolve.ts). Ctrl-C stops it.
 * @module
 */
import { parseArgs } from "node:util";
import { API_VERSION_NAMES, CURRENT_API_VERSION } from "@resonantgenesis/schemas/meta";
import { DEMO_API_KEY } from "./auth.js";
import { startMockServer } from "./server.js";

const USAGE = `Usage: pnpm mock [--port <n>] [--evolve]

Serves the ResonantGenesis mock API on 127.0.0.1 with the demo account seeded.

Options:
  --port <n>   the port (default: PORT, else 4010; 0 for any free one)
  --evolve     answer as a later 1.x server (new fields, enum values, event types, a kind)
  -h, --help   this text

Environment: PORT, HOST (default 127.0.0.1), MOCK_STEP_DELAY_MS (session pace, default 400).`;

// Strict: a mistyped flag is an error, not a server started without it.
let args: ReturnType<typeof readArgs>;
try {
  args = readArgs();
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

function readArgs() {
  const options = {
    port: { type: "string" },
    evolve: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  } as const;
  return parseArgs({ args: process.argv.slice(2), options, strict: true }).values;
}

const portText = args.port ?? process.env.PORT ?? "4010";
const port = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
if (!(port <= 65535)) {
  console.error(`invalid port: ${portText} (a whole number from 0 to 65535)`);
  process.exit(2);
}
const evolve = args.evolve === true;

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

// Before the banner: whoever waits for it (a script, a test) may stop the server at once.
const stop = () => {
  void server.close().finally(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

console.log(
  `ResonantGenesis mock API listening on ${server.url}${evolve ? " (evolved: answers as a later 1.x server)" : ""}`,
);
console.log(`  base URL: ${server.baseURL}   (versions: /api/v1.0, /api/v1.1, /api/v1.2)`);
console.log(`  API key:  ${DEMO_API_KEY}`);
console.log(`  try:      curl -s -H "Authorization: Bearer ${DEMO_API_KEY}" ${server.baseURL}/v1.2/agents`);
console.log("Press Ctrl-C to stop.");
