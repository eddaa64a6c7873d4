// `pnpm check:docs`: typechecks every ```ts (or ```typescript) block of README.md,
// docs/*.md and packages/*/README.md, each as its own ES module, with strict tsc,
// against the built packages as a user imports them (`@resonantgenesis/sdk`,
// `/mock`, `/schemas`, subpaths through each package.json's `exports`, `types`
// from dist: run `pnpm build` first). A sample that no longer compiles fails
// the check with `file:line` of the line in the doc and tsc's message, so the
// first code a new user copies is code that compiles.
//
// Most samples stand alone. A fragment whose names come from the text around
// it says which, in an HTML comment (invisible on GitHub) on the line before
// its fence:
//
//   <!-- sample: context client, id -->      declares those names (CONTEXT below)
//   <!-- sample: skip (the reason) -->       not checked: a deliberately partial snippet
//
// A sample that shows a compile error on purpose marks the line with
// `// @ts-expect-error`, which tsc then checks too.
//
// The same docs' shell blocks are checked too: each `resonant ...` line must
// name commands and options the built CLI declares (doc-commands.mjs).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { checkCommands } from "./doc-commands.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// Under .tmp/ (git-ignored) so that the workspace root's node_modules
// (@types/node, vitest, typescript) is found by walking up, as in a project.
const outDir = join(root, ".tmp", "doc-samples");

// The names a `context` marker may declare, each as the text before it has it.
const CONTEXT = {
  client: "declare const client: __sdk.ResonantClient;",
  id: "declare const id: string;",
  agent_id: "declare const agent_id: string;",
  sessionId: "declare const sessionId: string;",
  goal: "declare const goal: string;",
  savedCursor: "declare const savedCursor: string;",
  jobId: "declare const jobId: string;",
  archive: "declare const archive: __sdk.Archive;",
  archive10: 'declare const archive10: __sdk.Archive<"1.0">;',
  oldClient: 'declare const oldClient: __sdk.ResonantClient<"1.0">;',
  target: "declare const target: __sdk.ResonantClient;",
  out: 'declare const out: import("node:fs").WriteStream;',
  rawBody: "declare const rawBody: string;",
  request: "declare const request: Request;",
  getToken: "declare function getToken(): Promise<string>;",
  saveSecret: "declare function saveSecret(id: string, secret: string): void;",
  vault: "declare const vault: { put(name: string, value: string): Promise<void> };",
  api: 'declare const api: import("@resonantgenesis/mock").MockApi;',
  json: "declare const json: unknown;",
};

// Packages the samples import that the workspace root does not list: each is
// linked from the package that depends on it, as a user's install would have it.
const LINKED = {
  "@resonantgenesis/sdk": "packages/sdk",
  "@resonantgenesis/mock": "packages/mock",
  "@resonantgenesis/schemas": "packages/schemas",
  "@resonantgenesis/cli": "packages/cli",
  msw: "packages/mock/node_modules/msw",
  zod: "packages/schemas/node_modules/zod",
  "https-proxy-agent": "packages/cli/node_modules/https-proxy-agent",
};

// pino is in no package of the workspace; getting-started shows it as "any
// logger". Its real LogFn overloads, so the sample checks what pino would take.
const AMBIENT = `declare module "pino" {
  interface LogFn {
    <T extends object>(obj: T, msg?: string, ...args: any[]): void;
    (obj: unknown, msg?: string, ...args: any[]): void;
    (msg: string, ...args: any[]): void;
  }
  interface Logger { fatal: LogFn; error: LogFn; warn: LogFn; info: LogFn; debug: LogFn; trace: LogFn }
  export default function pino(options?: object): Logger;
}
`;

const OPTIONS = {
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  types: ["node"],
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
};

function docFiles() {
  const files = ["README.md"];
  for (const name of readdirSync(join(root, "docs")).sort()) if (name.endsWith(".md")) files.push(`docs/${name}`);
  for (const pkg of readdirSync(join(root, "packages")).sort()) {
    if (existsSync(join(root, "packages", pkg, "README.md"))) files.push(`packages/${pkg}/README.md`);
  }
  return files;
}

const MARKER = /^<!--\s*sample:\s*(.*?)\s*-->$/;

/** The marker on the lines just before a fence (blank lines between are allowed). */
function markerBefore(lines, fence) {
  for (let i = fence - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (line === "") continue;
    const match = MARKER.exec(line);
    return match ? { text: match[1], line: i + 1 } : undefined;
  }
  return undefined;
}

/** Every ts block of one doc: its first code line (1-based), its code and its marker. */
function extract(file) {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const blocks = [];
  const problems = [];
  for (let i = 0; i < lines.length; i++) {
    // A marker is read with the block it precedes; one before anything else is a mistake.
    if (MARKER.test(lines[i].trim())) {
      const next = lines.slice(i + 1).find((line) => line.trim() !== "");
      if (!/^\s*`{3,}\s*(ts|typescript)\b/.test(next ?? "")) {
        problems.push(`${file}:${i + 1}: a sample marker must come just before a ts block`);
      }
    }
    // The language is the info string's first word (```ts title="x" is a ts block too).
    const open = /^(\s*)(`{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, ticks, lang] = open;
    let end = i + 1;
    while (end < lines.length && lines[end].trim() !== ticks) end++;
    if (lang === "ts" || lang === "typescript") {
      // A block inside a list item is indented; the code is not.
      const code = lines.slice(i + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
      const marker = markerBefore(lines, i);
      const block = { file, line: i + 2, code, context: [] };
      if (marker) {
        const skip = /^skip\s*\((.+)\)$/.exec(marker.text);
        const context = /^context\s+(.+)$/.exec(marker.text);
        if (skip) block.skip = skip[1];
        else if (context) block.context = context[1].split(/[\s,]+/).filter(Boolean);
        else problems.push(`${file}:${marker.line}: unknown sample marker "${marker.text}"`);
        for (const name of block.context) {
          if (!(name in CONTEXT)) problems.push(`${file}:${marker.line}: unknown context name "${name}"`);
          else if (!new RegExp(`\\b${name}\\b`).test(code.join("\n"))) {
            problems.push(`${file}:${marker.line}: context name "${name}" is not used by the block`);
          }
        }
      }
      blocks.push(block);
    }
    i = end;
  }
  return { blocks, problems };
}

function prepare(blocks) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, "node_modules", "@resonantgenesis"), { recursive: true });
  for (const [name, path] of Object.entries(LINKED)) symlinkSync(join(root, path), join(outDir, "node_modules", name));
  // Top-level await needs the samples to be ES modules, as in a "type": "module" project.
  writeFileSync(join(outDir, "package.json"), '{ "type": "module", "private": true }\n');
  writeFileSync(join(outDir, "ambient.d.ts"), AMBIENT);
  const byPath = new Map();
  for (const block of blocks) {
    if (block.skip) continue;
    const name = `${block.file.replace(/[/.]/g, "_")}_L${block.line}.ts`;
    // One line before the code (so doc line = file line + block.line - 2): the context, or nothing.
    const context = block.context.map((n) => CONTEXT[n]).join(" ");
    const prelude = context.includes("__sdk.")
      ? `import type * as __sdk from "@resonantgenesis/sdk"; ${context}`
      : context;
    writeFileSync(join(outDir, name), `${prelude}\n${block.code.join("\n")}\n`);
    byPath.set(join(outDir, name), block);
  }
  return byPath;
}

// Without a build every import of a sample fails, which would bury the one message that matters.
const unbuilt = ["sdk", "mock", "schemas", "cli"].filter((p) => !existsSync(join(root, "packages", p, "dist")));
if (unbuilt.length > 0) {
  console.error(`check:docs needs the packages built (no dist in ${unbuilt.join(", ")}): run pnpm build first.`);
  process.exit(1);
}

const started = performance.now();
const blocks = [];
const problems = [];
const files = docFiles();
// The CLI's --help runs (child processes) overlap the type check.
const commands = checkCommands(root, files);
for (const file of files) {
  const found = extract(file);
  blocks.push(...found.blocks);
  problems.push(...found.problems);
}
const byPath = prepare(blocks);
const program = ts.createProgram([...byPath.keys(), join(outDir, "ambient.d.ts")], OPTIONS);
for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n  ");
  const block = diagnostic.file && byPath.get(resolve(diagnostic.file.fileName));
  if (!block || diagnostic.start === undefined) {
    const where = diagnostic.file ? `${relative(root, diagnostic.file.fileName)}: ` : "";
    problems.push(`${where}TS${diagnostic.code}: ${message}`);
    continue;
  }
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const docLine = block.line + line - 1;
  const source = block.code[line - 1]?.trim() ?? "";
  problems.push(`${block.file}:${docLine}:${character + 1}: TS${diagnostic.code}: ${message}\n    ${source}`);
}

const { count: commandCount, problems: commandProblems } = await commands;
problems.push(...commandProblems);
const skipped = blocks.filter((b) => b.skip);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(`\n${problems.length} problem(s) in the samples of the docs (${blocks.length} blocks, ${seconds} s).`);
  console.error("A fragment that needs names from its text: <!-- sample: context client, id --> before its fence.");
  process.exit(1);
}
console.log(
  `doc samples ok: ${blocks.length - skipped.length} ts blocks typecheck (${skipped.length} skipped, each with its reason), ` +
    `${commandCount} resonant command lines name real commands and options, in ${seconds} s`,
);
