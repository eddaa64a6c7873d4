/**
 * Where an archive comes from: a file, or `-` for standard input. Standard
 * input is copied to a private temporary file first (streamed, mode 0600),
 * because an import reads its archive twice: once to check all of it before
 * anything is sent, once to send it.
 * @module
 */
import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { CliError } from "../exit.js";
import { privateTempDir } from "../fs/temp-dir.js";

/** An archive ready to be read any number of times. */
export interface ArchiveInput {
  /** The path to read. */
  path: string;
  /** How to name it in messages: the path the user gave, or `-`. */
  name: string;
  /** True when it came from standard input (no checkpoint can sit beside it). */
  stdin: boolean;
  /** Removes the temporary copy of standard input, if any. */
  dispose(): Promise<void>;
}

/** Opens `file` (a path, or `-` for standard input). Throws a {@link CliError} for a missing file. */
export async function openInput(file: string): Promise<ArchiveInput> {
  if (file !== "-") {
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new CliError(`${file}: not a file`);
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    return { path: file, name: file, stdin: false, dispose: async () => undefined };
  }
  // Nobody types an archive: at a terminal, `-` would wait in silence for input that is not coming.
  if (process.stdin.isTTY)
    throw new CliError(
      "-: standard input is a terminal: pipe an archive in (`resonant export | resonant import -`) or name a file",
    );
  const { dir, dispose } = await privateTempDir("resonant-stdin-");
  const path = join(dir, "archive");
  try {
    await pipeline(process.stdin, createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    await dispose();
    throw new CliError(
      `-: standard input could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      {
        cause: error,
      },
    );
  }
  return { path, name: "-", stdin: true, dispose };
}

/** Reads `path` in chunks of `highWaterMark` bytes. */
export function chunksOf(path: string, highWaterMark = 256 * 1024): AsyncIterable<Buffer> {
  return createReadStream(path, { highWaterMark });
}

/**
 * Line and column (from 1) of byte `offset` in `path`, for error messages;
 * read again only when an error needs it.
 */
export async function lineAndColumn(path: string, offset: number): Promise<{ line: number; column: number }> {
  let line = 1;
  let lineStart = 0;
  let base = 0;
  for await (const chunk of chunksOf(path)) {
    const buf = chunk as Buffer;
    const stop = Math.min(buf.length, offset - base);
    for (let i = buf.indexOf(0x0a); i !== -1 && i < stop; i = buf.indexOf(0x0a, i + 1)) {
      line++;
      lineStart = base + i + 1;
    }
    base += buf.length;
    if (base >= offset) break;
  }
  return { line, column: offset - lineStart + 1 };
}
