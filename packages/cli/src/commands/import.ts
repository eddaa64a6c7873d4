/**
 * `resonant import FILE [--on-conflict skip|overwrite|fail] [--dry-run]
 * [--resume] [--failures FILE] [--secrets-out FILE] [--batch-size N]`
 * (options declared in src/options.ts): the whole file is
 * checked first (nothing is sent if any of it is bad), then sent kind by
 * kind in dependency order, in batches of at most 1,000, with a checkpoint
 * beside the file after every acknowledged batch. Exit 2 if any item failed.
 * @module
 */
import { importOrder } from "@resonantgenesis/schemas/meta";
import type { Command } from "commander";
import { Checkpoint } from "../archive/checkpoint.js";
import {
  accountOf,
  archiveOf,
  checkSameAccount,
  checkSameArchive,
  checkSameFiles,
  otherRun,
} from "../archive/checkpoint-match.js";
import { lockRun } from "../fs/run-lock.js";
import type { ArchiveInfo } from "../archive/format.js";
import { openInput, type ArchiveInput } from "../archive/input.js";
import { ArchiveReader } from "../archive/reader.js";
import { checkArchive } from "../archive/validate.js";
import { EXTRAS_NOT_SENT, lineExtrasNote } from "../archive/format.js";
import { makeClient } from "../context.js";
import { exactData, exactUpgrader } from "../core/exact.js";
import { planOf, reportPlan, targetIndex } from "../core/plan.js";
import { reportNewSecrets } from "../core/secrets.js";
import { CliError, EXIT, type ExitCode } from "../exit.js";
import { refuseSameFile } from "../fs/same-file.js";
import type { BatchFlags } from "../options.js";
import {
  anyFailed,
  checkDirection,
  checkImportable,
  importing,
  openImporter,
  resumedSettings,
  runSettings,
  setup,
  startOver,
  summaryRows,
  upgrader,
} from "./common.js";

/** Options of `import`. */
export interface ImportOptions extends BatchFlags {
  /** Print the plan, write nothing. */
  dryRun?: boolean;
  /** Carry on from FILE.checkpoint. */
  resume?: boolean;
  /** Where refused items go (NDJSON). */
  failures?: string;
  /** Where the report of new secrets goes (mode 0600). */
  secretsOut?: string;
}

/** Reads the records of `input` in dependency order: one pass when the file already is in that order, else one pass per kind. */
export async function* inImportOrder(
  input: ArchiveInput,
  info: ArchiveInfo,
): AsyncGenerator<{ kind: string; index: number; data: unknown; text: string }> {
  const order = importOrder(info.kindOrder);
  const sorted = order.every((kind, i) => kind === info.kindOrder[i]);
  if (sorted) {
    yield* new ArchiveReader(input).records();
    return;
  }
  for (const kind of order) {
    for await (const record of new ArchiveReader(input).records()) if (record.kind === kind) yield record;
  }
}

/** Runs `import`. */
export async function runImport(file: string, options: ImportOptions, command: Command): Promise<ExitCode> {
  const { globals, reporter } = setup(command);
  const { onConflict } = options;
  let { batchSize } = options;
  if (options.resume && file === "-")
    throw new CliError("--resume needs a file: standard input leaves no checkpoint beside it");
  await refuseSameFile(
    [
      { flag: "--failures", path: options.failures },
      { flag: "--secrets-out", path: options.secretsOut },
      { flag: "the checkpoint", path: file === "-" ? undefined : `${file}.checkpoint` },
      { flag: "the lock", path: file === "-" ? undefined : `${file}.checkpoint.lock`, lock: true },
    ],
    [{ what: "the archive", path: file }],
  );
  // What is at the checkpoint's name is looked at before the archive is read or anything is made beside it
  // (its lock): a link, a device, a file larger than a checkpoint or not one this resonant wrote is refused.
  if (file !== "-" && !options.dryRun) await Checkpoint.read(`${file}.checkpoint`);
  const input = await openInput(file);
  let unlock: (() => Promise<void>) | undefined;
  try {
    const { info } = await checkArchive(input);
    const extras = lineExtrasNote(input.name, info.lineExtras, EXTRAS_NOT_SENT);
    if (extras) reporter.warn(extras);
    reporter.info(
      `checked ${input.name}: API ${info.apiVersion}, ${Object.values(info.counts).reduce((a, b) => a + b, 0)} records, checksum ${info.checksum}`,
    );
    const { client, endpoint } = makeClient(globals, reporter);
    checkDirection(info.apiVersion, endpoint.apiVersion, `${input.name}`);
    checkImportable(endpoint.apiVersion, info.counts);
    const upgrade = upgrader(info.apiVersion, endpoint.apiVersion);

    if (options.dryRun) {
      const index = await targetIndex(client, reporter);
      async function* upgraded() {
        for await (const record of new ArchiveReader(input).records())
          yield { kind: record.kind, data: upgrade(record.kind, exactData(record)) };
      }
      return reportPlan(reporter, "import", onConflict, await planOf(upgraded(), index, onConflict));
    }

    const checkpointPath = input.stdin ? undefined : `${input.path}.checkpoint`;
    const identity = await archiveOf(input.path, info);
    let checkpoint: Checkpoint | undefined;
    if (checkpointPath) {
      unlock = await lockRun(checkpointPath, (message) => reporter.warn(message));
      if (options.resume) {
        checkpoint = await Checkpoint.load(checkpointPath);
        const s = checkpoint.state;
        // The account first: a checkpoint of an older resonant fails there, with what to do about it.
        checkSameAccount(checkpointPath, "target", s.target, endpoint);
        checkSameArchive(checkpointPath, input.name, s.source, identity);
        batchSize = resumedSettings(s, options);
        await checkSameFiles(checkpointPath, s, options);
        reporter.info(`resuming from ${checkpointPath}: ${s.batches} batches acknowledged`);
      } else {
        checkpoint = await startOver(
          checkpointPath,
          { command: "import", source: identity, target: accountOf(endpoint), ...runSettings(options) },
          (saved) =>
            otherRun(checkpointPath, saved, {
              command: "import",
              accounts: [{ role: "target", endpoint }],
              archive: { name: input.name, now: identity },
            }),
          reporter,
        );
      }
    }
    const { importer, failures, secrets } = await openImporter(options, {
      client,
      reporter,
      checkpoint,
      onConflict,
      concurrency: globals.concurrency,
      expected: (kind) => info.counts[kind],
      ...(batchSize ? { batchSize } : {}),
    });
    reporter.event("start", {
      command: "import",
      file: input.name,
      api_version: info.apiVersion,
      target_api_version: endpoint.apiVersion,
      on_conflict: onConflict,
      resumed: Boolean(options.resume),
    });
    const exact = exactUpgrader(info.apiVersion, endpoint.apiVersion);
    await importing([failures, secrets], importer, checkpoint, async () => {
      for await (const record of inImportOrder(input, info))
        await importer.add(record.kind, record.index, exact(record));
      await importer.finish();
    });
    // Both files are whole on disk before the checkpoint, which a resume would need otherwise, goes.
    await checkpoint?.remove();
    reportNewSecrets(importer.newSecrets, secrets, options.secretsOut, reporter);
    const failed = anyFailed(importer.totals);
    reporter.summary(
      summaryRows(importer.totals),
      {
        command: "import",
        file: input.name,
        failures: options.failures ?? null,
        exit_code: failed ? EXIT.partial : EXIT.ok,
      },
      `imported ${input.name} into API ${endpoint.apiVersion}${failed && options.failures ? ` (failures in ${options.failures})` : ""}`,
    );
    return failed ? EXIT.partial : EXIT.ok;
  } finally {
    await unlock?.();
    await input.dispose();
  }
}
