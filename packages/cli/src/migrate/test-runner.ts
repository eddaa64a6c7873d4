/**
 * `migrate test`: the platform guide's "test upgrade, downgrade and upgrade
 * again", on a copy, never on the account. The copy (an archive, or a
 * read-only export of the account) goes into the embedded mock in this
 * process; every pending revision runs up, then down, and the account must
 * equal the original; then up again, and it must equal the first up (a
 * migration must be deterministic).
 * @module
 */
import { upgradeArchive, ResonantClient, type ApiVersion } from "@resonantgenesis/sdk";
import type { MockApi } from "@resonantgenesis/mock";
import { FailureLog } from "../archive/failures.js";
import { archiveHeader, isKind, kindsOf, MAX_BODY_BYTES } from "@resonantgenesis/schemas/meta";
import { ArchiveReader } from "../archive/reader.js";
import { sdkLog } from "../context.js";
import { itemErrorFacts } from "../core/errors.js";
import { CliError } from "../exit.js";
import { privateTempDir } from "../fs/temp-dir.js";
import type { Reporter } from "../ui/reporter.js";
import { isReserved } from "./account.js";
import { compareSnapshots, type Difference, type Snapshot } from "./compare.js";
import { openSession, refresh, refuseUnknownRevisions, type Session } from "./session.js";
import { down, firstToRun, up, type RunOptions } from "./runner.js";

/** What the test found. */
export interface TestOutcome {
  revisions: string[];
  /** Differences after up then down, from the original. */
  notRestored: Difference[];
  /** Differences of the second up from the first. */
  notDeterministic: Difference[];
  /** Writes refused inside the copy (a migration the API would refuse). */
  failed: number;
  /** The revisions whose writes were refused inside the copy, in chain order: those at fault for `failed`. */
  failedRevisions: string[];
  /**
   * The account's objects the copy could not take (it is an API 1.2 of the letter): those its import refused (a
   * newer server's enum value or relaxed limit), and a newer server's kinds, which it has no route for. The test ran
   * without them, so its verdict does not cover them.
   */
  notCopied: NotCopied[];
}

type NotCopied = { kind: string; id: string; message: string };

type Records = AsyncIterable<{ kind: string; data: unknown }>;

/** What an import call's body adds around its one item (`{"sessions":[...],"on_conflict":"overwrite"}`), with room to spare. */
const BATCH_ENVELOPE = 64;

/**
 * Refuses an object no import can carry into the copy: past the API's body limit even alone in its batch (a
 * session the API took under the limit, then given its id, times and steps). The copy's import failed with a
 * bare `413 ... The request body is larger than 10485760 bytes`, naming no object.
 */
function checkImportable(kind: string, data: unknown): void {
  const text = JSON.stringify(data);
  if (text.length * 3 + BATCH_ENVELOPE <= MAX_BODY_BYTES) return;
  const bytes = Buffer.byteLength(text);
  if (bytes + BATCH_ENVELOPE <= MAX_BODY_BYTES) return;
  const id = JSON.stringify(String((data as { id?: unknown }).id));
  throw new CliError(
    `migrate test: ${kind} ${id} is ${bytes} bytes, more than an import's body may carry (10 MiB, the API's body limit), so it cannot be put into the copy the test runs on; nothing was written to the account`,
  );
}

/** Why a newer server's object is not in the copy. */
const NEWER_KIND =
  "a kind this resonant does not know, from a newer server: the copy has no route for it, and no migration can touch it";

/**
 * The archive `records` make, as `importAll` takes it. A newer server's kinds are left out, into `leftOut`: the
 * copy's import had no route for them (`404 No route POST /api/v1.2/policys/import`), which ended every test of an
 * account that held one, though migrations read and write only the kinds resonant knows.
 */
async function archiveOf(
  records: Records,
  apiVersion: ApiVersion,
  leftOut: NotCopied[],
): Promise<Record<string, unknown>> {
  const archive: Record<string, unknown> = { ...archiveHeader(apiVersion) };
  // Every kind of the version, empty ones too: an archive states them all.
  for (const kind of kindsOf(apiVersion)) archive[kind] = [];
  for await (const { kind, data } of records) {
    if (!isKind(kind)) {
      leftOut.push({ kind, id: String((data as { id?: unknown }).id), message: NEWER_KIND });
      continue;
    }
    checkImportable(kind, data);
    ((archive[kind] ??= []) as unknown[]).push(data);
  }
  return apiVersion === "1.2"
    ? archive
    : ((upgradeArchive as (a: unknown, to: string) => unknown)(archive, "1.2") as Record<string, unknown>);
}

async function snapshotOf(client: ResonantClient<"1.2">): Promise<Snapshot> {
  const archive = (await client.data.exportAll()) as unknown as Record<string, unknown>;
  const out: Snapshot = {};
  for (const [kind, value] of Object.entries(archive)) {
    if (!Array.isArray(value)) continue;
    out[kind] = (value as Record<string, unknown>[]).filter((o) => !isReserved(kind, o));
  }
  return out;
}

/** Options of {@link testMigrations}. */
export interface TestOptions {
  dir: string;
  /** The records to test on, and their API version. */
  source: { records: Records; apiVersion: ApiVersion };
  reporter: Reporter;
  globals: Session["globals"];
  /** The embedded mock the copy goes into (default {@link copyApi}); closed when the test ends. */
  api?: MockApi;
}

/**
 * The embedded mock the copy goes into. Without a rate limit: the mock's default (10,000 requests a minute) was
 * reached by up, down and up again over a few thousand objects, and the copy's client (no retries) ended the test
 * with a 429 the real account never sent.
 */
export async function copyApi(): Promise<MockApi> {
  const { createMockApi } = await import("@resonantgenesis/mock");
  return createMockApi({ stepDelayMs: 1, rateLimit: Number.MAX_SAFE_INTEGER });
}

/** Runs the test; answers what it found (the caller prints it). */
export async function testMigrations(options: TestOptions): Promise<TestOutcome> {
  const api = options.api ?? (await copyApi());
  // The copy's journals hold the account's data.
  const { dir: work, dispose } = await privateTempDir("resonant-migrate-test-");
  try {
    const { key } = api.createAccount();
    const fetch = (input: Request, init?: RequestInit) => api.fetch(new Request(input, init));
    const client = new ResonantClient({
      apiKey: key,
      baseURL: "http://mock.invalid/api",
      apiVersion: "1.2",
      fetch,
      ...sdkLog(options.reporter, "test copy: "),
      maxRetries: 0,
    });
    const notCopied: NotCopied[] = [];
    const archive = await archiveOf(options.source.records, options.source.apiVersion, notCopied);
    const copied = await client.data.importAll(archive as never, { onConflict: "overwrite" });
    for (const { kind, id, error } of copied.failed)
      notCopied.push({ kind, id, message: itemErrorFacts(error, null).message });

    const session = await openSession(options.dir, options.globals, options.reporter, {
      account: client,
      ledger: client,
    });
    session.journalDir = work;
    // A run cut on the copy is not to be resumed: the copy and these journals go when the test ends.
    session.onCopy = true;
    // The copy holds the account's ledger: what `up` would refuse on the account is refused here, not tested.
    refuseUnknownRevisions(session, "migrate test");
    // What up runs: a partial current revision is retried, so it is tested with the pending ones, and down goes
    // back to before it (else its retry on the copy is never undone, and a difference is laid at the others' door).
    const from = firstToRun(session);
    const start = session.chain[from - 1]?.revision ?? "base";
    const revisions = session.chain.slice(from).map((m) => m.revision);
    const failures = await FailureLog.open(undefined, false);
    const run: RunOptions = {
      dryRun: false,
      yes: true,
      resume: false,
      noBackup: true,
      force: true,
      // Applied revisions are not run in the test; a file changed since one ran is said, not refused.
      changedFiles: "warn",
      concurrency: 4,
      failures,
    };
    if (revisions.length === 0)
      return { revisions, notRestored: [], notDeterministic: [], failed: 0, failedRevisions: [], notCopied };

    const original = await snapshotOf(client);
    const first = await up(session, undefined, run);
    const afterUp = await snapshotOf(client);
    await refresh(session);
    const back = await down(session, start, run);
    const afterDown = await snapshotOf(client);
    await refresh(session);
    // A down left partial (writes refused in the copy) is not run up over (up refuses it): the refusals are the finding.
    const halfUndone = back.steps.some((s) => s.state === "partial");
    const second = halfUndone ? { steps: [] } : await up(session, undefined, run);
    const afterSecond = halfUndone ? afterUp : await snapshotOf(client);
    const steps = [...first.steps, ...back.steps, ...second.steps];
    const failed = steps.reduce((n, s) => n + s.failed + s.conflicts.length, 0);
    // Each step names its revision: the refused writes are laid at the door of the ones that made them.
    const faulty = new Set(steps.filter((s) => s.failed + s.conflicts.length > 0).map((s) => s.revision));
    return {
      revisions,
      notRestored: compareSnapshots(original, afterDown),
      notDeterministic: compareSnapshots(afterUp, afterSecond),
      failed,
      failedRevisions: revisions.filter((r) => faulty.has(r)),
      notCopied,
    };
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`migrate test: ${(error as Error).message}`, { cause: error });
  } finally {
    api.close();
    await dispose();
  }
}

/** The records of an archive file, and its API version (known once the reader has started). */
export async function archiveSource(path: string): Promise<{ records: Records; apiVersion: ApiVersion }> {
  const reader = new ArchiveReader({ path, name: path });
  const all: { kind: string; data: unknown }[] = [];
  for await (const r of reader.records()) all.push({ kind: r.kind, data: r.data });
  const apiVersion = reader.apiVersion ?? "1.2";
  return {
    records: (async function* () {
      yield* all;
    })(),
    apiVersion,
  };
}
