// A plain blocking script: SyncClient answers every call with its value, no
// await, the way a shell-style script or a synchronous plugin hook wants it.
// The mock runs in a child process (see mock-server.ts for why), so the script
// needs no key and no network; point it at the real API with RESONANT_API_KEY
// and --live. It exits non-zero if anything it checks is wrong.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { NotFoundError, SyncClient } from "@resonantgenesis/sdk";

const live = process.argv.includes("--live");

/** Starts the mock in a child process and waits for the base URL it prints. */
async function startMockChild() {
  const script = fileURLToPath(new URL("./mock-server.ts", import.meta.url));
  // process.execArgv holds tsx's loader and the source condition, so the child runs TypeScript like us.
  const child = spawn(process.execPath, [...process.execArgv, script], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdout.setEncoding("utf8");
  let out = "";
  while (!out.includes("\n")) {
    const chunk = await Promise.race([once(child.stdout, "data"), once(child, "exit").then(() => null)]);
    if (chunk === null) throw new Error(`the mock server process exited early (code ${child.exitCode})`);
    out += String(chunk[0]);
  }
  return { child, baseURL: out.trim() };
}

// The only await in the script: waiting for the child is asynchronous by nature.
const mock = live ? undefined : await startMockChild();
let failures = 0;
const check = (ok: boolean, what: string) => {
  console.log(`  ${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures += 1;
};

try {
  const client = new SyncClient({ apiKey: mock ? DEMO_API_KEY : process.env.RESONANT_API_KEY, baseURL: mock?.baseURL });
  console.log(`API at ${client.baseURL} (version ${client.apiVersion})`);

  // Every page, collected into one array (capped by maxItems, default 10,000).
  const agents = client.agents.list({ limit: 10 });
  console.log(`\n${agents.length} agents, fetched 10 per page:`);
  for (const agent of agents.slice(0, 5)) console.log(`  ${agent.id}  ${agent.name}`);
  if (agents.length > 5) console.log(`  ... and ${agents.length - 5} more`);
  if (mock) check(agents.length === 30, "every seeded agent is in the array");

  const created = client.agents.create({
    name: "sync-script-agent",
    model: "gpt-4-turbo",
    system_prompt: "You write short answers.",
  });
  const got = client.agents.get(created.id);
  console.log(`\ncreated ${created.id}, got back "${got.name}" (${got.model})`);
  check(got.name === "sync-script-agent", "get returns what create stored");

  // Errors are thrown synchronously, as the same classes ResonantClient throws.
  try {
    client.agents.get("agent-that-does-not-exist");
    check(false, "a missing agent throws");
  } catch (error) {
    check(error instanceof NotFoundError, `a missing agent throws ${(error as Error).name}`);
  }

  const archive = client.data.exportAll();
  console.log(`\nexported API ${archive.api_version} archive:`);
  for (const kind of ["agents", "tools", "sessions", "memories"] as const)
    console.log(`  ${kind.padEnd(9)} ${archive[kind].length}`);
  if (mock) check(archive.agents.length === 31, "the archive holds the seeded agents and the new one");

  client.close(); // optional: the worker thread never keeps the process alive
} finally {
  mock?.child.kill("SIGTERM");
}

if (failures > 0) {
  console.error(`\n${failures} check(s) failed`);
  process.exit(1);
}
console.log("\ndone");
