#!/usr/bin/env node
// The ecosystem suite: packs the public packages once, installs them with npm
// into fresh copies of every consumer in consumers.mjs, and runs each
// consumer's tests, in parallel as far as two cores allow. Ends with the plain
// line "N passed, N failed[, N skipped]" and a non-zero exit on any failure.
//
//   node ecosystem/run.mjs [--no-build] [--only name,name] [--keep]
//
// --no-build: use the packages' dist as it is (CI has just built them);
// --only: consumers whose name starts with one of these; --keep: leave the temp dir.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { consumers } from "./consumers.mjs";
import { exec, execOrThrow, tail } from "./lib/exec.mjs";
import { installConsumer } from "./lib/install.mjs";
import { mismatch, startMock } from "./lib/mock.mjs";
import { LIBRARIES, packAll, PACKAGES } from "./lib/pack.mjs";
import { createPool } from "./lib/pool.mjs";
import { RESULT_PREFIX } from "./scenario.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const { values: flags } = parseArgs({
  options: { "no-build": { type: "boolean" }, only: { type: "string" }, keep: { type: "boolean" } },
});
const only = flags.only?.split(",").filter(Boolean);
const selected = only ? consumers.filter((c) => only.some((prefix) => c.name.startsWith(prefix))) : consumers;
if (selected.length === 0) throw new Error(`no consumer matches --only ${flags.only}`);

const started = performance.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
const work = await mkdtemp(join(tmpdir(), "rg-ecosystem-"));
const results = []; // { name, status: "passed" | "failed" | "skipped", detail }

function report(name, status, detail, ms) {
  results.push({ name, status, detail });
  const time = ms === undefined ? "" : ` (${seconds(ms)})`;
  console.log(
    `${status === "passed" ? "ok  " : status === "skipped" ? "skip" : "FAIL"} ${name}${time}${detail ? `: ${detail}` : ""}`,
  );
}

/** One test of an installed consumer: with a fresh seeded mock when it needs one. */
async function runTest(test, cwd) {
  const mock = test.mock ? await startMock(root) : undefined;
  try {
    const env = mock ? { RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: mock.apiKey, RESONANT_LOG: "off" } : {};
    const run = await exec(test.command, test.args, { cwd, env, timeoutMs: test.timeoutMs ?? 120_000 });
    if (run.code !== 0)
      return report(
        test.name,
        "failed",
        `${run.timedOut ? "timed out" : `exit ${run.code}`}\n${tail(run.output)}`,
        run.ms,
      );
    if (!mock || test.exitOnly) return report(test.name, "passed", undefined, run.ms);
    const line = run.output.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
    if (!line) return report(test.name, "failed", `no result line\n${tail(run.output)}`, run.ms);
    const result = JSON.parse(line.slice(RESULT_PREFIX.length));
    const wrong = mismatch(result, mock.expected, test.entry);
    return report(test.name, wrong ? "failed" : "passed", wrong, run.ms);
  } finally {
    await mock?.close();
  }
}

try {
  if (!flags["no-build"]) {
    console.log("building the packages");
    await execOrThrow(
      "pnpm",
      PACKAGES.flatMap((pkg) => ["--filter", `@resonantgenesis/${pkg}`]).concat(["run", "build"]),
      { cwd: root, timeoutMs: 300_000 },
    );
  }
  for (const pkg of PACKAGES) {
    if (!existsSync(join(root, "packages", pkg, "dist")))
      throw new Error(`packages/${pkg}/dist is missing: run pnpm build first`);
  }
  const packs = join(work, "packs");
  await mkdir(packs);
  const tarballs = await packAll(root, packs);
  console.log(`packed ${tarballs.map((t) => basename(t)).join(", ")} (${seconds(performance.now() - started)})`);

  // npm installs wait mostly on the network: four at once. Tests are CPU-bound: two at once.
  const installs = createPool(4);
  const tests = createPool(2);
  // The consumers with the most tests (the TypeScript matrix, the long pole) install first.
  const longestFirst = [...selected].sort((a, b) => b.tests.length - a.tests.length);
  await Promise.all(
    longestFirst.map(async (consumer) => {
      const reason = consumer.skip?.();
      if (reason) {
        for (const test of consumer.tests) report(test.name, "skipped", reason);
        return;
      }
      const cwd = join(work, consumer.name);
      const installStart = performance.now();
      try {
        const wanted = consumer.packages ?? LIBRARIES;
        await installs(() =>
          installConsumer({
            source: join(here, "consumers", consumer.folder),
            target: cwd,
            scenario: join(here, "scenario.mjs"),
            tarballs: tarballs.filter((t) => wanted.some((pkg) => basename(t).startsWith(`resonantgenesis-${pkg}-`))),
            extra: consumer.extra,
          }),
        );
      } catch (error) {
        for (const test of consumer.tests) report(test.name, "failed", `install: ${error.message}`);
        return;
      }
      console.log(`installed ${consumer.name} (${seconds(performance.now() - installStart)})`);
      await Promise.all(consumer.tests.map((test) => tests(() => runTest(test, cwd))));
    }),
  );
} catch (error) {
  report("ecosystem setup", "failed", error.stack ?? String(error));
} finally {
  if (flags.keep) console.log(`kept ${work}`);
  else await rm(work, { recursive: true, force: true });
}

const count = (status) => results.filter((r) => r.status === status).length;
const skipped = count("skipped");
console.log(`ecosystem suite took ${seconds(performance.now() - started)}`);
console.log(`${count("passed")} passed, ${count("failed")} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exitCode = count("failed") > 0 ? 1 : 0;
