/**
 * Where an archive comes from: a file, or `-` for standard input. Standard
 * input is copied to a private temporary file first (streamed, mode 0600),
 * because an import reads its archive twice: once to check all of it before
 * anything is sent, once to send it. A gzip-compressed archive (told by its
 * first bytes, not its name) is read through gunzip each time: byte offsets
 * in messages are those of the archive inside.
 * @module
 */
import { createReadStream, createWriteStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { join } from "node:path";
import { pipeline as pipe } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
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
    await pipeline(process.stdin, untilNotAnArchive, createWriteStream(path, { mode: 0o600 }));
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

/** Whitespace before the opening `{` that standard input may send before it is taken for no archive. */
const LEADING_SPACE = 64 * 1024;

/**
 * Standard input as it comes, cut short once it cannot be an archive: its first byte that is not whitespace is
 * not `{`, and the stream is not gzip (told by its first two bytes). The copy is made before anything is read,
 * so `cat /dev/zero | resonant import -` filled the temporary folder's disk before the refusal; now the reader
 * refuses the copy's first bytes at once, with the byte and what it found, as it would a file.
 */
async function* untilNotAnArchive(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let seen = 0;
  let maybeGzip = false;
  for await (const chunk of source) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (maybeGzip) return yield* b === GZIP_MAGIC[1] ? passOn(chunk, source) : [chunk.subarray(0, i + 1)];
      if (seen + i === 0 && b === GZIP_MAGIC[0]) {
        maybeGzip = true; // the next byte decides
        continue;
      }
      if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) {
        if (seen + i < LEADING_SPACE) continue;
        return yield chunk.subarray(0, i);
      }
      // The deciding byte is kept, and two more, so that the reader names it (a byte order mark as one).
      return yield* b === 0x7b /* { */ ? passOn(chunk, source) : [chunk.subarray(0, i + 3)];
    }
    seen += chunk.length;
    yield chunk;
  }
}

/** `first`, then the rest of `source`, unchanged. */
async function* passOn(first: Buffer, source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  yield* source;
}

/** The first bytes of every gzip stream (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b];

/** True when the file at `path` is gzip-compressed. */
async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/** Reads the archive at `path` in chunks of about `highWaterMark` bytes, decompressed if it is gzip. */
export async function* chunksOf(path: string, highWaterMark = 256 * 1024): AsyncGenerator<Buffer> {
  const raw = createReadStream(path, { highWaterMark });
  // pipeline answers its last stream and ends each on the other's error or early end; the callback keeps
  // an error from going unhandled, as the iteration below throws it.
  yield* (await isGzip(path)) ? pipe(raw, createGunzip({ chunkSize: highWaterMark }), () => {}) : raw;
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
