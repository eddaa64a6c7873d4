// The main job: export a seeded account to a file, import it into a second
// account, and print what moved. It runs against the mock on 127.0.0.1, so it
// needs no key and no network; point it at the real API with
// RESONANT_API_KEY (source) and RESONANT_TARGET_API_KEY (target) and --live.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer } from "@resonantgenesis/mock/server";
import { ResonantClient, type ImportProgress } from "@resonantgenesis/sdk";

const live = process.argv.includes("--live");
const mock = live ? undefined : await startMockServer({ stepDelayMs: 1 });
try {
  let sourceKey = process.env.RESONANT_API_KEY;
  let targetKey = process.env.RESONANT_TARGET_API_KEY;
  if (mock) {
    mock.api.seed({ agents: 40, sessions: 25, tools: 6, teams: 4, memories: 30, triggers: 5, webhooks: 3 });
    sourceKey = DEMO_API_KEY;
    targetKey = mock.api.createAccount().key;
    console.log(`mock API on ${mock.baseURL}`);
  }
  const baseURL = mock?.baseURL;
  const source = new ResonantClient({ apiKey: sourceKey, baseURL });
  const target = new ResonantClient({ apiKey: targetKey, baseURL });

  const archive = await source.data.exportAll();
  const dir = join(process.cwd(), ".tmp");
  await mkdir(dir, { recursive: true });
  const file = join(dir, `export-${archive.exported_at.replace(/[:.]/g, "-")}.json`);
  await writeFile(file, JSON.stringify(archive, null, 2));
  console.log(`exported API ${archive.api_version} archive to ${file}`);

  const onProgress = ({ kind, done, total }: ImportProgress) =>
    console.log(`  importing ${kind.padEnd(8)} ${done}/${total}`);
  const report = await target.data.importAll(archive, { onProgress });

  console.log("\nkind       exported  imported  skipped  failed");
  for (const kind of ["tools", "agents", "teams", "sessions", "memories", "triggers", "webhooks"] as const) {
    const failed = report.failed.filter((f) => f.kind === kind).length;
    console.log(
      `${kind.padEnd(10)} ${String(archive[kind].length).padStart(8)}  ${String(report.imported[kind] ?? 0).padStart(8)}  ${String(report.skipped[kind] ?? 0).padStart(7)}  ${String(failed).padStart(6)}`,
    );
  }
  const again = await target.data.importAll(archive);
  const changed = Object.values(again.imported).reduce<number>((a, b) => a + (b ?? 0), 0);
  console.log(`\nre-run: ${changed} changed (an import with the same ids changes nothing the second time)`);
} finally {
  await mock?.close();
}
