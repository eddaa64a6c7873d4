/**
 * `pnpm start`: a real migration with `resonant`, against the mock on
 * 127.0.0.1 (no key, no network). Seeds a source account, then runs the
 * commands a user would type, each as its own `resonant` process:
 * export (backup), import into a second account, verify, and a dry run of
 * the import that shows nothing is left to do.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer } from "@resonantgenesis/mock/server";

const BIN = fileURLToPath(new URL("../src/bin.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

const mock = await startMockServer({ stepDelayMs: 1 });
// Each command is a child process served by the mock in this one, so they run async (a sync spawn would block the mock).
const run = (title: string, args: string[], key: string): Promise<number> =>
  new Promise((resolve) => {
    console.log(
      `\n$ RESONANT_API_KEY=${key === DEMO_API_KEY ? "<source key>" : "<target key>"} resonant ${args.join(" ")}    # ${title}`,
    );
    const child = spawn(process.execPath, ["--conditions=@resonantgenesis/source", "--import", TSX, BIN, ...args], {
      stdio: "inherit",
      env: { ...process.env, RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: key },
    });
    child.on("close", (code) => resolve(code ?? 1));
  });

let failed = false;
try {
  mock.api.seed({ agents: 40, sessions: 25, tools: 6, teams: 4, memories: 30, triggers: 5, webhooks: 3 });
  const target = mock.api.createAccount().key;
  const dir = mkdtempSync(join(tmpdir(), "resonant-demo-"));
  const backup = join(dir, "backup.json");
  console.log(`mock API on ${mock.baseURL}: a seeded source account and an empty target account`);
  const steps: [string, string[], string, number][] = [
    ["back up the source account", ["export", "--out", backup], DEMO_API_KEY, 0],
    [
      "import the backup into the target",
      ["import", backup, "--failures", join(dir, "failures.ndjson"), "--secrets-out", join(dir, "new-secrets.ndjson")],
      target,
      0,
    ],
    ["check the target holds every object, unchanged", ["verify", backup], target, 0],
    ["a second import would change nothing", ["import", backup, "--dry-run"], target, 0],
  ];
  for (const [title, args, key, expected] of steps) {
    const code = await run(title, args, key);
    if (code !== expected) {
      console.error(`\nresonant ${args[0]} exited ${code}, expected ${expected}`);
      failed = true;
      break;
    }
  }
  if (!failed)
    console.log(
      `\nmigration done: the archive is in ${backup}; the new webhook and trigger secrets are in ${join(dir, "new-secrets.ndjson")} (mode 0600)`,
    );
} finally {
  await mock.close();
}
process.exit(failed ? 1 : 0);
