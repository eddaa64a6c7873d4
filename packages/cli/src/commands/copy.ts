/**
 * `resonant copy --to-key KEY [--to-base-url URL] [--to-api-version V] [--dry-run]`:
 * this account (the global options) into another, streaming: the source's
 * `exportStream` feeds the import engine directly, each record upgraded to
 * the target's version on the way (1.0 -> 1.1 -> 1.2), with the checkpoint
 * (`--checkpoint FILE`, default `resonant-copy.checkpoint`), the failure log
 * and the exit codes of `import`. The source's export is in dependency order
 * already, so nothing is held back but the records of a kind this resonant
 * does not know, until the export's end line names that kind
 * (core/held-kinds.ts): they go last, under the server's name. `--dry-run` plans it against the
 * target's objects, as `import --dry-run` does, and writes nothing.
 * @module
 */
import { CURRENT_API_VERSION, type ApiVersion } from "@resonantgenesis/schemas/meta";
import type { Command } from "commander";
import { Checkpoint } from "../archive/checkpoint.js";
import { byKind, EXTRAS_NOT_SENT } from "../archive/format.js";
import { accountOf, checkSameAccount, checkSameFiles, otherRun } from "../archive/checkpoint-match.js";
import { makeClient } from "../context.js";
import { exactData, exactUpgrader } from "../core/exact.js";
import { fromSide } from "../core/errors.js";
import { planOf, reportPlan, targetIndex } from "../core/plan.js";
import { liveRecords, putLiveRecords, type LiveRecord } from "../core/records.js";
import { reportNewSecrets } from "../core/secrets.js";
import { CliError, EXIT, type ExitCode } from "../exit.js";
import { lockRun } from "../fs/run-lock.js";
import { refuseSameFile } from "../fs/same-file.js";
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
import {
  COPY_WORDING,
  copySides,
  onSide,
  repeatWarner,
  sameServer,
  unimportableKinds,
  withSide,
} from "./copy-checks.js";
import type { BatchFlags } from "../options.js";

/** Options of `copy`. */
export interface CopyOptions extends BatchFlags {
  /** The target's key. */
  toKey?: string;
  /** The target's base URL (default: the source's). */
  toBaseUrl?: string;
  /** The target's API version (default the current one), checked by commander. */
  toApiVersion?: ApiVersion;
  /** Print the plan against the target, write nothing. */
  dryRun?: boolean;
  /** Carry on from the checkpoint. */
  resume?: boolean;
  /** The checkpoint file. */
  checkpoint?: string;
  /** Where refused items go. */
  failures?: string;
  /** Where the report of new secrets goes. */
  secretsOut?: string;
}

/** What a refusal found during the run leaves behind. */
const SENT_BEFORE = "the kinds before it in the export were sent";

/** Runs `copy`. */
export async function runCopy(options: CopyOptions, command: Command): Promise<ExitCode> {
  const { globals, reporter } = setup(command);
  const { onConflict } = options;
  let { batchSize } = options;
  const toKey = options.toKey ?? process.env.RESONANT_TO_API_KEY;
  if (!toKey) throw new CliError("copy needs the target's key: --to-key KEY (or RESONANT_TO_API_KEY)");
  const source = makeClient(globals, reporter, { label: "" });
  const target = makeClient(globals, reporter, {
    apiKey: toKey,
    baseURL: options.toBaseUrl ?? globals.baseUrl ?? process.env.RESONANT_BASE_URL,
    apiVersion: options.toApiVersion ?? CURRENT_API_VERSION,
    label: "target: ",
  });
  const from = source.endpoint.apiVersion;
  const to = target.endpoint.apiVersion;
  checkDirection(from, to, "the source account", "--to-api-version");
  const upgrade = upgrader(from, to);
  const path = options.checkpoint ?? "resonant-copy.checkpoint";
  await refuseSameFile(
    [
      { flag: "--checkpoint", path },
      { flag: "--failures", path: options.failures },
      { flag: "--secrets-out", path: options.secretsOut },
      { flag: "the lock", path: `${path}.lock`, lock: true },
    ],
    [],
  );
  // What is at the checkpoint's name is looked at before anything is made beside it (its lock): a link, a
  // device, a file larger than a checkpoint or not one this resonant wrote is refused, and never read whole.
  if (!options.dryRun) await Checkpoint.read(path);
  // The same key at the same URL is the same account: at best nothing to do, and with --on-conflict overwrite
  // across versions, objects rewritten from an older version's reading of them (its defaults for newer fields).
  // A URL is compared as the server it reaches, so `HTTP://`, `localhost` or a default port is no way round.
  const sourceURL = source.endpoint.baseURL ?? "";
  const targetURL = target.endpoint.baseURL ?? "";
  if (toKey === (globals.apiKey ?? process.env.RESONANT_API_KEY) && sameServer(sourceURL, targetURL))
    throw new CliError(
      "the target is the source account (the same key at the same base URL): copy moves one account into another; nothing was copied",
    );
  const sides = copySides(sourceURL, targetURL);
  const repeated = repeatWarner(onConflict, (message) => reporter.warn(message));
  checkImportable(to, await onSide(sides.source, unimportableKinds(source.client, from, to)), COPY_WORDING);
  if (options.dryRun) {
    // The source read as the copy would send it, against the target's ids and contents: nothing is written.
    // The target's warnings name it: the source's, unnamed as in a copy's run, would otherwise read as the same.
    const targetWarnings = { warn: (message: string) => reporter.warn(`${sides.target.label}: ${message}`) };
    const index = await onSide(sides.target, targetIndex(target.client, targetWarnings));
    async function* upgraded() {
      let last: string | undefined;
      for await (const live of liveRecords(source.client, reporter, { withText: true, extrasLost: EXTRAS_NOT_SENT })) {
        const { kind, data } = live;
        // A newer server's kind, which the check above cannot ask for, is refused at its first record.
        if (kind !== last) checkImportable(to, { [kind]: "some" }, { ...COPY_WORDING, ending: "nothing was written" });
        // Planned as the run takes it: onto the first copy, by --on-conflict.
        const again = repeated(kind, data.id, kind !== last);
        last = kind;
        yield { kind, data: upgrade(kind, exactData(live)), again };
      }
    }
    return reportPlan(reporter, "copy", onConflict, await onSide(sides.source, planOf(upgraded(), index, onConflict)));
  }
  // The checkpoint is this run's alone from here on.
  const unlock = await lockRun(path, (message) => reporter.warn(message));
  try {
    let checkpoint: Checkpoint;
    if (options.resume) {
      checkpoint = await Checkpoint.load(path);
      const s = checkpoint.state;
      if (s.command !== "copy")
        throw new CliError(`--resume: the checkpoint ${path} was made by resonant ${s.command}, not by a copy`);
      checkSameAccount(path, "source", s.source, source.endpoint);
      checkSameAccount(path, "target", s.target, target.endpoint);
      batchSize = resumedSettings(s, options);
      await checkSameFiles(path, s, options);
      reporter.info(`resuming from ${path}: ${s.batches} batches acknowledged`);
    } else {
      checkpoint = await startOver(
        path,
        {
          command: "copy",
          source: accountOf(source.endpoint),
          target: accountOf(target.endpoint),
          ...runSettings(options),
        },
        (saved) =>
          otherRun(path, saved, {
            command: "copy",
            accounts: [
              { role: "source", endpoint: source.endpoint },
              { role: "target", endpoint: target.endpoint },
            ],
          }),
        reporter,
      );
    }
    const { importer, failures, secrets } = await openImporter(options, {
      client: target.client,
      reporter,
      checkpoint,
      onConflict,
      concurrency: globals.concurrency,
      ...(batchSize ? { batchSize } : {}),
    });
    reporter.event("start", {
      command: "copy",
      api_version: from,
      target_api_version: to,
      resumed: Boolean(options.resume),
    });
    const index: Record<string, number> = byKind();
    // With the text of each line, so a record goes on as the source wrote it (no number rounded).
    const exact = exactUpgrader(from, to);
    // A promise only when a batch goes out: no await per record.
    const send = (live: LiveRecord): Promise<void> | undefined => {
      const { kind, data, text } = live;
      const i = (index[kind] = (index[kind] ?? -1) + 1);
      // A newer server's kind, which the check before the run cannot ask for, is refused at its first record.
      if (i === 0) checkImportable(to, { [kind]: "some" }, { ...COPY_WORDING, ending: SENT_BEFORE });
      repeated(kind, data.id, i === 0);
      const item = text === undefined ? upgrade(kind, data) : exact({ kind, data, text });
      try {
        return importer.add(kind, i, item)?.catch((error: unknown) => {
          throw fromSide(error, sides.target);
        });
      } catch (error) {
        throw fromSide(error, sides.target);
      }
    };
    await importing([failures, secrets], importer, checkpoint, async () => {
      // The stream itself rather than liveRecords(): one async generator less for each record.
      const stream = withSide(sides.source, source.client.data.exportStream({ withText: true }));
      await putLiveRecords(stream, send, reporter, EXTRAS_NOT_SENT);
      await importer.finish().catch((error: unknown) => {
        throw fromSide(error, sides.target);
      });
    });
    // Both files are whole on disk before the checkpoint, which a resume would need otherwise, goes.
    await checkpoint.remove();
    reportNewSecrets(importer.newSecrets, secrets, options.secretsOut, reporter);
    const failed = anyFailed(importer.totals);
    reporter.summary(
      summaryRows(importer.totals),
      { command: "copy", api_version: from, target_api_version: to, exit_code: failed ? EXIT.partial : EXIT.ok },
      `copied API ${from} account into API ${to} account`,
    );
    return failed ? EXIT.partial : EXIT.ok;
  } finally {
    await unlock();
  }
}
