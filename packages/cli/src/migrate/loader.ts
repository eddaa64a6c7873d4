/**
 * Loading a migrations folder: every `.mjs`, `.js` and `.ts` file, each
 * imported (TypeScript through tsx's `tsImport`, which compiles on the fly
 * and registers nothing globally) and checked for the shape of a
 * {@link Migration}, with the SHA-256 of its bytes for the ledger's drift check.
 * @module
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { register } from "node:module";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CliError } from "../exit.js";
import type { Migration } from "./types.js";
import { unlessNeverSettled } from "./never-settled.js";

/** A migration and where it came from. */
export interface LoadedMigration extends Migration {
  /** The file, as the user would name it (`migrations/0001_x.ts`). */
  file: string;
  /** `sha256:<hex>` of the file's bytes. */
  checksum: string;
}

const EXTENSIONS = /\.(mjs|js|ts|mts)$/;

/** The refusal of a `--dir` that names something other than a folder (`migrate new` lets only a missing folder by). */
export class NotAFolderError extends CliError {
  constructor(dir: string) {
    super(`--dir ${dir}: not a folder (it names a file); give the migrations folder`);
  }
}

/** The migration files of `dir`, sorted by name (declaration files and dotfiles left out). */
export async function migrationFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new CliError(`--dir ${dir}: no such folder (make one with \`resonant migrate new <message>\`)`);
    if (code === "ENOTDIR") throw new NotAFolderError(dir);
    throw error;
  }
  return names
    .filter((n) => EXTENSIONS.test(n) && !n.endsWith(".d.ts") && !n.startsWith("."))
    .sort()
    .map((n) => join(dir, n));
}

/** `sha256:<hex>` of a file's bytes. */
export async function fileChecksum(file: string): Promise<string> {
  return `sha256:${createHash("sha256")
    .update(await readFile(file))
    .digest("hex")}`;
}

// A migration imports `@resonantgenesis/cli` (defineMigration) and may import the SDK, from a folder that
// need not see either: beside no node_modules when `resonant` is installed globally or run by npx. In this
// process both names are the running CLI's own modules, so nothing needs installing beside migrations, and a
// migration never gets a second SDK (whose error classes `instanceof` would not know). A resolve hook, in
// Node's loader thread, registered once, before the first migration loads.
const OWN = ["@resonantgenesis/cli", "@resonantgenesis/sdk"];
const HOOK = `let own = {};
export function initialize(data) { own = data; }
export function resolve(specifier, context, next) {
  return next(Object.hasOwn(own, specifier) ? own[specifier] : specifier, context);
}`;
let ownPackagesShared = false;
function shareOwnPackages(): void {
  if (ownPackagesShared) return;
  ownPackagesShared = true;
  const data = Object.fromEntries(OWN.map((name) => [name, import.meta.resolve(name)]));
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data });
}

async function importFile(file: string): Promise<unknown> {
  shareOwnPackages();
  const url = pathToFileURL(resolve(file)).href;
  if (/\.m?ts$/.test(file)) {
    // Loaded lazily: tsx is only needed when a TypeScript migration exists.
    const { tsImport } = await import("tsx/esm/api");
    return tsImport(url, import.meta.url);
  }
  return import(url);
}

/**
 * What went wrong loading `file`, with where when it is a syntax error. esbuild (through tsx) says
 * `Transform failed with 1 error:` and puts `path:line:column: ERROR: ...` (column from 0) on the lines after; Node's own
 * SyntaxError for an ES module carries no location at all, which `node --check` prints (`path:line`, the source
 * line and a caret under the column).
 */
async function loadError(file: string, error: unknown): Promise<string> {
  if (!(error instanceof Error)) return String(error);
  const [first = "", ...rest] = error.message.split("\n");
  const full = resolve(file);
  if (/^Transform failed/.test(first) && rest.length > 0)
    return (
      rest
        .filter((line) => line.trim() !== "")
        // esbuild counts columns from 0; editors, Node and the .mjs case below from 1.
        .map((line) =>
          line
            .split(full)
            .join(file)
            .replace(/^(.*:\d+):(\d+): /, (_all, at: string, column: string) => `${at}:${Number(column) + 1}: `),
        )
        .join("; ")
    );
  if (error.name !== "SyntaxError" || /\.m?ts$/.test(file)) return first;
  const where = await syntaxErrorAt(full);
  return where ? `${file}:${where}: ${first}` : first;
}

/** `line:column` of the syntax error `node --check` finds in `file`, or undefined. */
async function syntaxErrorAt(file: string): Promise<string | undefined> {
  const stderr = await new Promise<string>((done) => {
    execFile(process.execPath, ["--check", file], { timeout: 30_000 }, (_error, _out, err) => done(String(err)));
  });
  const lines = stderr.split("\n");
  const at = lines.findIndex((line) => /:\d+$/.test(line) && line.includes(basename(file)));
  if (at < 0) return undefined;
  const line = /:(\d+)$/.exec(lines[at]!)![1];
  const caret = lines[at + 2]?.indexOf("^") ?? -1;
  return caret >= 0 ? `${line}:${caret + 1}` : line;
}

/** Checks a module's default export, naming the file and the field at fault. */
function checkShape(file: string, mod: unknown): Migration {
  const m = (mod as { default?: unknown })?.default;
  // tsx may wrap a CommonJS-looking default once more.
  const value = (
    m && typeof m === "object" && "default" in m && !("revision" in m) ? (m as { default: unknown }).default : m
  ) as Record<string, unknown> | undefined;
  if (!value || typeof value !== "object")
    throw new CliError(
      `${file}: no default export: write \`export default defineMigration({ revision, downRevision, message, up })\``,
    );
  if (typeof value.revision !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(value.revision))
    throw new CliError(
      `${file}: revision must be a short string of letters, digits, - or _ (got ${JSON.stringify(value.revision)})`,
    );
  // `migrate up head` and `down base` name positions: a revision of either name could never be named itself.
  if (value.revision === "base" || value.revision === "head")
    throw new CliError(
      `${file}: revision ${JSON.stringify(value.revision)} is not allowed: "base" and "head" are reserved names of positions in the chain; choose another revision`,
    );
  if (value.downRevision !== null && typeof value.downRevision !== "string")
    throw new CliError(`${file}: downRevision must be a revision or null (got ${JSON.stringify(value.downRevision)})`);
  if (typeof value.message !== "string") throw new CliError(`${file}: message must be a string`);
  if (typeof value.up !== "function") throw new CliError(`${file}: up must be an async function (ctx) => { ... }`);
  if (value.down !== undefined && typeof value.down !== "function")
    throw new CliError(`${file}: down must be an async function when given`);
  return value as unknown as Migration;
}

/** Loads every migration of `dir`; a file that does not load (a syntax error, a throw at import) is named with the cause. */
export async function loadMigrations(dir: string): Promise<LoadedMigration[]> {
  const files = await migrationFiles(dir);
  const out: LoadedMigration[] = [];
  for (const file of files) {
    let mod: unknown;
    try {
      mod = await unlessNeverSettled(importFile(file), `${file}: its top-level code`, "nothing was run");
    } catch (error) {
      if (error instanceof CliError) throw error;
      const message = await loadError(file, error);
      // The hook above serves ES modules; Node 20's require() of a CommonJS-loaded .ts has no such hook.
      const own = /\.ts$/.test(file) && OWN.some((name) => message?.includes(`'${name}'`));
      const hint = own
        ? ` (outside a "type": "module" package a .ts migration loads as CommonJS, which cannot share resonant's own packages: import only types, \`import type { Migration }\` as \`migrate new\` writes, or name the file .mts)`
        : "";
      throw new CliError(`${file}: cannot be loaded: ${message}; nothing was run${hint}`, { cause: error });
    }
    const migration = checkShape(file, mod);
    out.push({ ...migration, up: migration.up, down: migration.down, file, checksum: await fileChecksum(file) });
  }
  return out;
}
