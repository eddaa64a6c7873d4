/**
 * `migrate test` cut on its copy after a plan: the copy and its journals are removed when the test ends, so the
 * error must not say to carry on with `resonant migrate up --resume` (which would find no journal, or the account's).
 * The copy is the embedded mock of `copyApi`, handed to the test with a fault set for its first PATCH.
 */
import { mkdir, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createMockApi } from "@resonantgenesis/mock";
import { ResonantClient } from "@resonantgenesis/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { liveRecords } from "../src/core/records.js";
import { copyApi, testMigrations } from "../src/migrate/test-runner.js";
import { Reporter } from "../src/ui/reporter.js";
import { tempDir } from "./helpers.js";
import { MODEL_RENAME, writeMigrations } from "./migrate-helpers.js";

const removals: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const remove of removals.splice(0)) await remove();
});

/** An account of 5 agents to test on, read as `migrate test` reads the live one. */
function source() {
  const api = createMockApi({ stepDelayMs: 1 });
  const { key } = api.createAccount();
  api.seed({ agents: 5 }, { key });
  const client = new ResonantClient({
    apiKey: key,
    baseURL: "http://source.invalid/api",
    fetch: (input: Request, init?: RequestInit) => api.fetch(new Request(input, init)),
    logLevel: "off",
  });
  const reporter = new Reporter({ json: false, quiet: true, stream: process.stderr });
  return { records: liveRecords(client, reporter), apiVersion: "1.2" as const };
}

const copies = async () => (await readdir(tmpdir())).filter((name) => name.startsWith("resonant-migrate-test-"));

/** Runs `work` with TMPDIR a folder of its own (os.tmpdir() reads it), so no other run's copies are counted. */
async function withOwnTmpdir<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await work();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

describe("migrate test cut on its copy after the plan", () => {
  it("says to run migrate test again, not to --resume, and leaves no journal", async () => {
    const tmp = await tempDir();
    removals.push(tmp.remove);
    const dir = await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
    const api = await copyApi();
    // The copy's client does not retry: its first write ends the run, with the plan in the copy's journal.
    api.faults.once({ method: "PATCH", status: 503 });
    const reporter = new Reporter({ json: false, quiet: true, stream: process.stderr });
    await mkdir(tmp.path("tmp"));
    const { error, left } = await withOwnTmpdir(tmp.path("tmp"), async () => {
      const error = await testMigrations({ dir, source: source(), reporter, globals: {}, api }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      return { error, left: await copies() };
    });
    expect(error?.message).toMatch(/503/);
    expect(error?.message).toContain(
      "up a1 was cut on migrate test's copy (the account was not written to; the copy and its journals are gone): run `resonant migrate test` again once the cause is gone",
    );
    expect(error?.message).not.toMatch(/--resume|\.journal/);
    expect(left).toEqual([]);
  });
});
