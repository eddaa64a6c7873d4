/**
 * What the migrate tests share: a fresh seeded account per test
 * (`useMigrateAccount`), migration files written from strings into a
 * temporary folder (plain objects, so the files need no package to
 * resolve), and reads of the mock's account to compare before and after.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SeedCounts } from "@resonantgenesis/mock";
import { ResonantClient } from "@resonantgenesis/sdk";
import { afterAll, afterEach, beforeEach, expect } from "vitest";
import { cliFor, startCountingMock, tempDir, type CountingMock } from "./helpers.js";

/** What `useMigrateAccount` gives a test: the account of the test running now. */
export interface MigrateAccount {
  /** The file's counting mock (one for all its tests, started before the first). */
  readonly mock: CountingMock;
  /** This test's account's key. */
  readonly key: string;
  /** This test's temporary folder (removed after it). */
  readonly tmp: Awaited<ReturnType<typeof tempDir>>;
  /** `resonant` run in `tmp` against `mock` with `key`. */
  readonly cli: ReturnType<typeof cliFor>;
  /** An SDK client of this test's account (logging off). */
  client(): ResonantClient;
  /** `snapshot` of this test's account. */
  snapshot(): ReturnType<typeof snapshot>;
  /** `ledgerOf` this test's account. */
  ledger(): ReturnType<typeof ledgerOf>;
  /** `leasesOf` this test's account. */
  leases(): Promise<number>;
  /** Runs `close` after this test, with the removal of `tmp`. */
  afterThis(close: () => Promise<void>): void;
}

/**
 * Registers the hooks of a migrate test file: one counting mock for the file
 * (closed after it), and before each test a fresh account seeded with `seed`,
 * a temporary folder and a CLI bound to both. Read the returned object's
 * members inside a test or a hook, never at the top of the file.
 */
export function useMigrateAccount(seed: SeedCounts): MigrateAccount {
  let mock: CountingMock | undefined;
  let now: { key: string; tmp: MigrateAccount["tmp"]; cli: MigrateAccount["cli"] } | undefined;
  const closers: (() => Promise<void>)[] = [];
  const current = () => {
    if (!mock || !now) throw new Error("useMigrateAccount: read its members inside a test, not at the top of the file");
    return { mock, ...now };
  };
  beforeEach(async () => {
    mock ??= await startCountingMock();
    const { key } = mock.api.createAccount();
    mock.api.seed(seed, { key });
    const tmp = await tempDir();
    closers.push(tmp.remove);
    now = { key, tmp, cli: cliFor(mock, key, tmp.dir) };
  });
  afterEach(async () => {
    now = undefined;
    for (const close of closers.splice(0)) await close();
  });
  afterAll(async () => mock?.close());
  return {
    get mock() {
      return current().mock;
    },
    get key() {
      return current().key;
    },
    get tmp() {
      return current().tmp;
    },
    get cli() {
      return current().cli;
    },
    client: () => new ResonantClient({ apiKey: current().key, baseURL: current().mock.baseURL, logLevel: "off" }),
    snapshot: () => snapshot(current().mock, current().key),
    ledger: () => ledgerOf(current().mock, current().key),
    leases: () => leasesOf(current().mock, current().key),
    afterThis: (close) => void closers.push(close),
  };
}

/** One migration file's source: a plain object default export. */
export function migrationSource(m: {
  revision: string;
  downRevision: string | null;
  message?: string;
  up: string;
  down?: string;
}): string {
  return `export default {
  revision: ${JSON.stringify(m.revision)},
  downRevision: ${JSON.stringify(m.downRevision)},
  message: ${JSON.stringify(m.message ?? m.revision)},
  async up(ctx) { ${m.up} },
  ${m.down ? `async down(ctx) { ${m.down} },` : ""}
};
`;
}

/** Writes the folder of one migration, `revision` (the first: no down revision), whose up() runs `up`; answers the folder. */
export function writeFirstMigration(dir: string, revision: string, up: string, name = revision): Promise<string> {
  return writeMigrations(dir, { [`0001_${name}.mjs`]: migrationSource({ revision, downRevision: null, up }) });
}

/** Writes `files` (name -> source) into `dir`. */
export async function writeMigrations(dir: string, files: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, source] of Object.entries(files)) await writeFile(join(dir, name), source);
  return dir;
}

/** The model rename: no down(), so down reverses the journal. */
export const MODEL_RENAME = migrationSource({
  revision: "a1",
  downRevision: null,
  message: "gpt-4-turbo to gpt-4.1",
  up: `await ctx.update("agents", { where: (a) => a.model === "gpt-4-turbo", set: { model: "gpt-4.1" } });`,
});

/** A metadata default, with its own down(). */
export const TIER_DEFAULT = migrationSource({
  revision: "b2",
  downRevision: "a1",
  message: "metadata.tier where missing",
  up: `await ctx.update("agents", (a) => (a.metadata.tier ? null : { "metadata.tier": "standard" }));`,
  down: `await ctx.update("agents", { where: (a) => a.metadata.tier === "standard", unset: ["metadata.tier"] });`,
});

const RESERVED = (o: Record<string, unknown>) =>
  Array.isArray(o.tags) && (o.tags as string[]).some((t) => t.startsWith("resonant:migrate"));

/** Every memory of the account (the ledger and leases among them). */
async function memories(
  mock: CountingMock,
  key: string,
): Promise<{ id: string; tags: string[]; content: string; created_at: string }[]> {
  const client = new ResonantClient({ apiKey: key, baseURL: mock.baseURL, logLevel: "off" });
  const out = [];
  for await (const m of client.memories.list({ limit: 100 })) out.push(m);
  return out;
}

/** The account's objects of every kind, less the migration tool's own memories and the fields the server manages. */
export async function snapshot(mock: CountingMock, key: string): Promise<Record<string, Record<string, unknown>[]>> {
  const client = new ResonantClient({ apiKey: key, baseURL: mock.baseURL, logLevel: "off" });
  const archive = (await client.data.exportAll()) as unknown as Record<string, unknown>;
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const kind of ["tools", "agents", "teams", "sessions", "memories", "triggers", "webhooks"]) {
    // By id: an object put back with its id is listed after the others (lists go by creation).
    out[kind] = ((archive[kind] as Record<string, unknown>[]) ?? [])
      .filter((o) => !RESERVED(o))
      .map(({ updated_at: _u, version: _v, ...rest }) => rest)
      .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
  }
  return out;
}

/** The ledger records in the account, oldest first (revision, state, direction). */
export async function ledgerOf(
  mock: CountingMock,
  key: string,
): Promise<{ revision: string; state: string; direction: string }[]> {
  return (await memories(mock, key))
    .filter((m) => m.tags.includes("resonant:migrate"))
    .map((m) => JSON.parse(m.content) as { revision: string; state: string; direction: string })
    .map(({ revision, state, direction }) => ({ revision, state, direction }));
}

/** How many leases the account holds. */
export async function leasesOf(mock: CountingMock, key: string): Promise<number> {
  return (await memories(mock, key)).filter((m) => m.tags.includes("resonant:migrate:lease")).length;
}

/**
 * Runs MODEL_RENAME up (`--backup b.json`, one write at a time) cut by a 501 on the last agent it renames: the
 * account before, and the run.
 */
export async function renameCutBy501(account: MigrateAccount) {
  const { mock, tmp, cli } = account;
  await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
  const before = await account.snapshot();
  const turbo = before.agents!.filter((a) => a.model === "gpt-4-turbo");
  expect(turbo.length).toBeGreaterThan(1);
  mock.api.faults.once({ method: "PATCH", path: `/agents/${String(turbo.at(-1)!.id)}`, status: 501 });
  const cut = await cli(["migrate", "up", "--yes", "--concurrency", "1", "--backup", "b.json"]);
  mock.api.faults.reset();
  expect(cut.code).toBe(1);
  return { before, cut };
}

/**
 * Follows the advice of a run of MODEL_RENAME that `--resume` cannot carry on: restores `backup`, moves `journal`
 * away and runs up again. The account must be put back as `before`, then have every agent renamed.
 */
export async function followRestoreAdvice(
  account: MigrateAccount,
  before: Awaited<ReturnType<typeof snapshot>>,
  journal: string,
  backup = "b.json",
): Promise<void> {
  const { cli, tmp } = account;
  const restored = await cli(["restore", backup, "--yes"]);
  expect(restored.code, restored.stderr).toBe(0);
  expect(await account.snapshot()).toEqual(before);
  await rename(tmp.path(journal), tmp.path(`${journal}.cut`));
  const again = await cli(["migrate", "up", "--yes", "--no-backup"]);
  expect(again.code, again.stderr).toBe(0);
  expect((await account.snapshot()).agents).toEqual(
    before.agents!.map((a) => ({ ...a, model: a.model === "gpt-4-turbo" ? "gpt-4.1" : a.model })),
  );
}
