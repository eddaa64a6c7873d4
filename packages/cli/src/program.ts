/**
 * The `resonant` command line, with commander: one sub-command per file in
 * commands/, the global options on the root so they work before or after the
 * sub-command, and every failure mapped to the documented exit codes
 * (0 done, 1 failed, 2 partial, 3 differences).
 * @module
 */
import { Command, CommanderError, Option } from "commander";
import { CURRENT_API_VERSION } from "@resonantgenesis/schemas/meta";
import { SDK_VERSION } from "@resonantgenesis/sdk";
import { runCopy } from "./commands/copy.js";
import { runExport } from "./commands/export.js";
import { runImport } from "./commands/import.js";
import { registerMigrate } from "./commands/migrate.js";
import { runRestore } from "./commands/restore.js";
import { runUpgrade } from "./commands/upgrade.js";
import { runVerify } from "./commands/verify.js";
import { runVersions } from "./commands/versions.js";
import { hintFor } from "./core/errors.js";
import { governHeap } from "./core/heap.js";
import { handleInterrupts } from "./core/interrupt.js";
import { CliError, EXIT, EXIT_HELP, type ExitCode, StdoutIsInputError } from "./exit.js";
import { CLI_VERSION } from "./version.js";
import { printable, printableJson } from "./ui/printable.js";
import { endBars } from "./ui/progress.js";
import { eventStream } from "./ui/reporter.js";
import {
  apiVersionOption,
  baseUrl,
  batchOptions,
  dryRunOption,
  formatOption,
  globalApiVersionOption,
  ignoreOption,
  MIGRATE_CONCURRENCY,
  requestRate,
  timeoutSeconds,
  toApiVersionOption,
  wholeNumber,
  writeOptions,
} from "./options.js";

/** Adds each of `options` to `command`. */
function withOptions(command: Command, options: readonly Option[]): Command {
  for (const option of options) command.addOption(option);
  return command;
}

// What the environment sets, beside the options that name their variable.
const ENVIRONMENT_HELP = `
Environment: RESONANT_LOG sets what the SDK reports on stderr: info (the default) each retry, debug
each answer too, off nothing. HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are read as curl reads them.`;

/** Builds the program; `run` receives each command's exit code. */
export function buildProgram(run: (code: ExitCode) => void): Command {
  const program = new Command("resonant")
    .description("Back up, move, verify, restore and upgrade ResonantGenesis accounts.")
    .version(`${CLI_VERSION} (SDK ${SDK_VERSION})`, "-V, --version")
    .addHelpText("after", `${ENVIRONMENT_HELP}\n${EXIT_HELP}`)
    // A key on the command line is in `ps` and /proc/PID/cmdline for every user of the host, and in shell history.
    .addOption(
      new Option("--api-key <key>", "API key (shown to every user by ps: prefer the variable)").env("RESONANT_API_KEY"),
    )
    .addOption(new Option("--base-url <url>", "API base URL").env("RESONANT_BASE_URL").argParser(baseUrl("--base-url")))
    .addOption(globalApiVersionOption())
    .option("--json", "one JSON object per event on stdout, the summary last")
    .option(
      "--quiet",
      "no progress or notes: only warnings, errors and the answer asked for (versions, migrate current, history)",
    )
    .addOption(new Option("--rate <n>", "at most N requests per second").argParser(requestRate))
    .addOption(
      new Option(
        "--concurrency <n>",
        `batches in flight at once (default 1; for migrate, writes, default ${MIGRATE_CONCURRENCY})`,
      ).argParser(wholeNumber("--concurrency", 1)),
    )
    .addOption(
      new Option("--max-retries <n>", "retries per request on 429, 5xx and lost connections (default 6)").argParser(
        wholeNumber("--max-retries", 0),
      ),
    )
    .addOption(
      new Option("--timeout <seconds>", "how long one request may take before it is retried (default 60)").argParser(
        timeoutSeconds,
      ),
    )
    // The error and where the usage is, not the whole help: forty lines would bury the one that matters.
    .showHelpAfterError("(add --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(printable(text)) });

  program
    .command("export")
    .description("the account as an archive (default: standard output, when it is not a terminal)")
    .option("-o, --out <file>", "where to write the archive (- for stdout; a name ending .gz is compressed)")
    .addOption(formatOption("json or ndjson (default: from the file name, else json)"))
    .action(async (options, command: Command) => run(await runExport(options, command)));

  withOptions(
    program
      .command("import")
      .description("import an archive into the account")
      .argument("<file>", "the archive, gzip-compressed or not (- for stdin)"),
    [...batchOptions(), ...writeOptions()],
  )
    .addOption(dryRunOption())
    .option("--resume", "carry on from FILE.checkpoint after an interruption")
    .action(async (file: string, options, command: Command) => run(await runImport(file, options, command)));

  withOptions(
    program.command("copy").description("copy this account into another, streaming (across API versions too)"),
    [...batchOptions(), ...writeOptions()],
  )
    .option("--to-key <key>", "the target account's key (shown to every user by ps: prefer RESONANT_TO_API_KEY)")
    .addOption(
      new Option("--to-base-url <url>", "the target's base URL (default: the source's)").argParser(
        baseUrl("--to-base-url"),
      ),
    )
    .addOption(toApiVersionOption())
    .addOption(dryRunOption())
    .option("--resume", "carry on from the checkpoint after an interruption")
    .option("--checkpoint <file>", "the checkpoint file (default resonant-copy.checkpoint)")
    .action(async (options, command: Command) => run(await runCopy(options, command)));

  program
    .command("verify")
    .description("does the account hold every object of the archive, unchanged? (exit 0 or 3)")
    .argument("<file>", "the archive, gzip-compressed or not (- for stdin)")
    .addOption(ignoreOption())
    .action(async (file: string, options, command: Command) => run(await runVerify(file, options, command)));

  withOptions(
    program
      .command("restore")
      .description("roll back: make the account match a backup")
      .argument("<file>", "the backup, gzip-compressed or not (- for stdin)"),
    writeOptions(),
  )
    .option("--prune", "also delete what the backup does not hold")
    .addOption(dryRunOption())
    .option("-y, --yes", "do not ask (needed for --prune when not at a terminal)")
    .action(async (file: string, options, command: Command) => run(await runRestore(file, options, command)));

  program
    .command("upgrade")
    .description("an archive of an older API version in a newer one's format, offline")
    .argument("<file>", "the archive, gzip-compressed or not (- for stdin)")
    .addOption(apiVersionOption("--to <version>", "the API version to upgrade to").default(CURRENT_API_VERSION))
    .option(
      "-o, --out <file>",
      "where to write (default: stdout, when it is not a terminal; a name ending .gz is compressed)",
    )
    .addOption(formatOption("json or ndjson (default: as the input)"))
    .action(async (file: string, options, command: Command) => run(await runUpgrade(file, options, command)));

  program
    .command("versions")
    .description("the API versions, days to each sunset, the SDK version and the server's answer")
    .action(async (_options, command: Command) => run(await runVersions(command)));

  registerMigrate(program, run);

  return program;
}

/** Runs the CLI on `argv` (process.argv form) and answers the exit code. Never throws. */
export async function main(argv: readonly string[]): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  const json = argv.includes("--json");
  // Where the run's other events went: standard error when standard output carries an archive.
  const writeErrorEvent = (message: string, exitCode: number, hint?: string) =>
    eventStream().write(`${printableJson({ event: "error", message, exit_code: exitCode, hint })}\n`);
  const fail = (message: string, exitCode: number, hint?: string, stdoutIsInput = false) => {
    if (json && !(stdoutIsInput && eventStream() === process.stdout)) writeErrorEvent(message, exitCode, hint);
    process.stderr.write(`${printable(`resonant: ${message}${hint ? `\nhint: ${hint}` : ""}`)}\n`);
  };
  const stopGoverning = governHeap();
  const stopHandling = handleInterrupts(fail);
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end through here with exit code 0; usage errors were printed by commander,
      // and a script reading --json events gets one as well.
      if (error.exitCode === 0) return EXIT.ok;
      if (json) writeErrorEvent(error.message.replace(/^error: /, ""), EXIT.failed);
      return EXIT.failed;
    }
    const exitCode = error instanceof CliError ? error.exitCode : EXIT.failed;
    endBars();
    fail(
      error instanceof Error ? error.message : String(error),
      exitCode,
      hintFor(error),
      error instanceof StdoutIsInputError,
    );
    if (process.env.RESONANT_DEBUG && error instanceof Error && error.stack)
      process.stderr.write(`${printable(error.stack)}\n`);
    return exitCode;
  } finally {
    stopHandling();
    stopGoverning();
  }
}
