/**
 * Where an archive comes from: a file, or `-` for standard input. Standard
 * input is copied to a private temporary file first (streamed, mode 0600),
 * because an import reads its archive twice: once to check all of it before
 * anything is sent, once to send it. A gzip-compressed archive (told by its
 * first bytes, not its name) is read through gunzip each time: byte offsets
 * in messages are those of the archive inside.
 * @module
 */
import { constants, createWriteStream } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
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
  /** The file as it was opened, which every reading goes through (see {@link OpenArchive}). */
  file?: OpenArchive;
  /** Closes the file, and removes the temporary copy of standard input, if any. */
  dispose(): Promise<void>;
}

/**
 * An archive file opened once. A command reads its archive several times (checked whole, then compared or
 * sent), each time from the start of this one open file: a file renamed over the name in between (a scheduled
 * `resonant export --out` of the same name) is never read, so what is sent or restored is what was checked.
 * One changed in place (written into, appended to) is refused at its next chunk.
 */
export interface OpenArchive {
  handle: FileHandle;
  /** Its size and modification time when opened. */
  size: number;
  mtimeMs: number;
}

/** What {@link chunksOf} reads: a path, or an archive opened by {@link openInput} (through its file when it has one). */
export type ArchiveSource = string | Pick<ArchiveInput, "path" | "name" | "file">;

// O_NONBLOCK: a FIFO put at the name since it was looked at never blocks the open (it is refused as no file).
const READ = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

async function openArchive(path: string, name: string): Promise<OpenArchive> {
  const handle = await open(path, READ);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new CliError(`${name}: not a file`);
    return { handle, size: info.size, mtimeMs: info.mtimeMs };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

/** Refuses to go on reading `file` once it is no longer what was opened (written into since). */
async function unchanged(name: string, file: OpenArchive): Promise<void> {
  const now = await file.handle.stat();
  if (now.size !== file.size || now.mtimeMs !== file.mtimeMs)
    throw new CliError(
      `${name}: changed while resonant was reading it (it was ${file.size} bytes, modified ${new Date(file.mtimeMs).toISOString()}; now ${now.size} bytes, modified ${new Date(now.mtimeMs).toISOString()}): what was checked is not what would be used; run again once nothing writes to it`,
    );
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
    const opened = await openArchive(file, file).catch((error: unknown) => {
      if (error instanceof CliError) throw error;
      throw new CliError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    });
    return { path: file, name: file, stdin: false, file: opened, dispose: () => opened.handle.close() };
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
  const opened = await openArchive(path, "-").catch(async (error: unknown) => {
    await dispose();
    throw error;
  });
  const close = async () => {
    await opened.handle.close().catch(() => undefined);
    await dispose();
  };
  return { path, name: "-", stdin: true, file: opened, dispose: close };
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

/** True when the file is gzip-compressed (its first two bytes). */
export async function isGzip(handle: FileHandle): Promise<boolean> {
  const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
  return bytesRead === 2 && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1];
}

/**
 * Reads the archive in chunks of about `highWaterMark` bytes, decompressed if it is gzip: an opened archive
 * from the start of its file (refused once changed, see {@link OpenArchive}), a bare path by opening it.
 */
export async function* chunksOf(source: ArchiveSource, highWaterMark = 256 * 1024): AsyncGenerator<Buffer> {
  const input = typeof source === "string" ? { path: source, name: source, file: undefined } : source;
  if (input.file === undefined) {
    const handle = await open(input.path, "r");
    try {
      yield* readFrom(handle, highWaterMark);
    } finally {
      await handle.close();
    }
    return;
  }
  const { file, name } = input;
  await unchanged(name, file);
  for await (const chunk of readFrom(file.handle, highWaterMark, () => unchanged(name, file))) yield chunk;
}

/** The file's bytes from its start (read at their positions: the file's own is never moved), decompressed if gzip. */
async function* readFrom(handle: FileHandle, highWaterMark: number, check?: () => Promise<void>) {
  const raw = rawChunks(handle, highWaterMark);
  const checked = check === undefined ? raw : checkEach(raw, check);
  // pipeline answers its last stream and ends each on the other's error or early end; the callback keeps
  // an error from going unhandled, as the iteration below throws it.
  yield* (await isGzip(handle)) ? pipe(checked, createGunzip({ chunkSize: highWaterMark }), () => {}) : checked;
}

/**
 * The file's bytes, by positional reads. Not a read stream: destroying one (a reading that stops early, as the
 * first chunk's look at the layout does) closes its file, which every later reading needs.
 */
async function* rawChunks(handle: FileHandle, highWaterMark: number): AsyncGenerator<Buffer> {
  for (let position = 0; ; ) {
    const buffer = Buffer.allocUnsafe(highWaterMark);
    const { bytesRead } = await handle.read(buffer, 0, highWaterMark, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

/** `chunks`, each after `check` passed. */
async function* checkEach(chunks: AsyncIterable<Buffer>, check: () => Promise<void>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    await check();
    yield chunk;
  }
}

/**
 * Line and column (from 1) of byte `offset` in `path`, for error messages;
 * read again only when an error needs it.
 */
export async function lineAndColumn(source: ArchiveSource, offset: number): Promise<{ line: number; column: number }> {
  let line = 1;
  let lineStart = 0;
  let base = 0;
  for await (const chunk of chunksOf(source)) {
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
