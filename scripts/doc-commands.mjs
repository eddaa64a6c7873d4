// The `resonant` command lines of the docs' shell blocks (```bash, ```sh,
// ```shell), checked against the built CLI's own --help: each command and
// sub-command must exist, and each --option must be one that command (or the
// program, for the global ones) declares. A renamed or removed flag then fails
// `pnpm check:docs` with the doc's file:line, instead of failing the user who
// copies the line. What the commands print and their exit codes are checked by
// the CLI's tests (packages/cli/test), which run them as real processes.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const SHELL = new Set(["bash", "sh", "shell"]);

/** Splits a shell line into words, honouring quotes; stops at a comment. Enough for the docs' lines. */
function words(line) {
  const out = [];
  let word = "";
  let quote = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = "";
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === "#" && !inWord) break;
    else if (/\s/.test(ch)) {
      if (inWord) out.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(word);
  return out;
}

/** Every `resonant ...` invocation of a doc's shell blocks, with its line. */
function invocations(root, file) {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const found = [];
  let fence;
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*(`{3,})\s*([\w-]*)/.exec(lines[i]);
    if (open && !fence) {
      fence = { ticks: open[1], shell: SHELL.has(open[2]) };
      continue;
    }
    if (fence && lines[i].trim() === fence.ticks) {
      fence = undefined;
      continue;
    }
    if (!fence?.shell) continue;
    // Commands chained in one line (`a && b`, `a | b`) are checked one by one.
    let segment = [];
    for (const word of [...words(lines[i]), ";"]) {
      if (!["&&", "||", ";", "|"].includes(word)) {
        segment.push(word);
        continue;
      }
      // Leading VAR=value assignments are the environment, not the command.
      const start = segment.findIndex((w) => !/^[A-Za-z_]\w*=/.test(w));
      if (start !== -1 && segment[start] === "resonant")
        found.push({ file, line: i + 1, args: segment.slice(start + 1) });
      segment = [];
    }
  }
  return found;
}

/** A command's declared options and sub-commands, read from its --help. */
async function helpOf(cli, path) {
  const { stdout } = await run(process.execPath, [cli, ...path, "--help"], { encoding: "utf8" });
  const options = new Set();
  const commands = new Set();
  let section = "";
  for (const line of stdout.split("\n")) {
    if (/^\S.*:$/.test(line)) section = line;
    const option = /^ {2}(?:-\w, )?(--[\w-]+)/.exec(line);
    if (section === "Options:" && option) options.add(option[1]);
    const command = /^ {2}([a-z][\w-]*)/.exec(line);
    if (section === "Commands:" && command && command[1] !== "help") commands.add(command[1]);
  }
  return { options, commands };
}

/** Problems (`file:line: ...`) of every documented `resonant` line; needs packages/cli built. */
export async function checkCommands(root, files) {
  const cli = join(root, "packages", "cli", "dist", "bin.js");
  const all = files.flatMap((file) => invocations(root, file));
  const helps = new Map();
  const help = (path) => {
    const key = path.join(" ");
    if (!helps.has(key)) helps.set(key, helpOf(cli, path));
    return helps.get(key);
  };
  // Every command's help at once, in parallel: one node process each, about 0.3 s apiece.
  const warm = (path) => help(path).then((h) => Promise.all([...h.commands].map((c) => warm([...path, c]))));
  await warm([]);
  const problems = [];
  for (const { file, line, args } of all) {
    const path = [];
    const flags = [];
    let current = await help(path);
    const known = new Set(current.options);
    for (const arg of args) {
      if (arg.startsWith("--")) flags.push(arg.split("=")[0]);
      else if (current.commands.has(arg)) {
        // The first word that names a sub-command is it; other bare words are arguments or option values.
        path.push(arg);
        current = await help(path);
        for (const option of current.options) known.add(option);
      }
    }
    if (current.commands.size > 0 && path.length > 0) {
      problems.push(
        `${file}:${line}: resonant ${path.join(" ")} needs a sub-command (${[...current.commands].join(", ")})`,
      );
    }
    for (const flag of flags) {
      if (!known.has(flag)) problems.push(`${file}:${line}: resonant ${path.join(" ")}: no option ${flag}`);
    }
  }
  return { count: all.length, problems };
}
