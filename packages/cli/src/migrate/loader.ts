/**
 * Loading a migrations folder: every `.mjs`, `.js` and `.ts` file, each
 * imported (TypeScript through tsx's `tsImport`, which compiles on the fly
 * and registers nothing globally) and checked for the shape of a
 * {@link Migration}, with the SHA-256 of its bytes for the ledger's drift check.
 * @module
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CliError } from "../exit.js";
import type { Migration } from "./types.js";

/** A migration and where it came from. */
export interface LoadedMigration extends Migration {
  /** The file, as the user would name it (`migrations/0001_x.ts`). */
  file: string;
  /** `sha256:<hex>` of the file's bytes. */
  checksum: string;
}

const EXTENSIONS = /\.(mjs|js|ts|mts)$/;

/** The migration files of `dir`, sorted by name (declaration files and dotfiles left out). */
export async function migrationFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new CliError(`--dir ${dir}: no such folder (make one with \`resonant migrate new <message>\`)`);
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

async function importFile(file: string): Promise<unknown> {
  const url = pathToFileURL(resolve(file)).href;
  if (/\.m?ts$/.test(file)) {
    // Loaded lazily: tsx is only needed when a TypeScript migration exists.
    const { tsImport } = await import("tsx/esm/api");
    return tsImport(url, import.meta.url);
  }
  return import(url);
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
      mod = await importFile(file);
    } catch (error) {
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new CliError(`${file}: cannot be loaded: ${message}; nothing was run`, { cause: error });
    }
    const migration = checkShape(file, mod);
    out.push({ ...migration, up: migration.up, down: migration.down, file, checksum: await fileChecksum(file) });
  }
  return out;
}
