/**
 * Writing an archive record by record, JSON or NDJSON, to a file or standard
 * output. Each record's JSON (its text as the server sent it when the caller
 * has it, else serialised) is encoded straight into 256 KiB byte chunks,
 * which are hashed and written, waiting for the stream to drain, so memory
 * holds a few chunks whatever the account's size. Every archive written here ends with
 * `counts` (records per kind) and `checksum` (SHA-256, see docs/migration.md):
 *
 * - JSON: `{"format":..., "api_version":..., "exported_at":..., "<kind>": [...], ..., "counts": {...}, "checksum": "sha256:<hex of every byte before ,"checksum">"}`
 * - NDJSON: `{"kind":"agent","data":{...}}` lines, then
 *   `{"kind":"end","counts":{...},"format":...,"format_version":1,"api_version":...,"exported_at":...,"checksum":"sha256:<hex of every byte before this line>"}`
 *
 * A file is written to `FILE.partial` and renamed when complete, so a cut
 * export never leaves a file that looks whole.
 * @module
 */
import { createHash } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { ApiVersion } from "@resonantgenesis/schemas/meta";
import { ARCHIVE_FORMAT, CHECKSUM_PREFIX, FORMAT_VERSION, kindsOf, singularOf, type ArchiveLayout } from "./format.js";

/** The header of an archive to write. */
export interface ArchiveHeader {
  /** The API version of the records. */
  apiVersion: ApiVersion;
  /** When it was exported (default: now). */
  exportedAt?: string;
  /** Top-level members to carry through (from an archive read earlier). */
  extra?: Record<string, unknown>;
}

/** What was written. */
export interface WrittenArchive {
  /** Records per kind. */
  counts: Record<string, number>;
  /** `sha256:<hex>`. */
  checksum: string;
  /** Bytes written. */
  bytes: number;
}

const FLUSH_AT = 256 * 1024;

/** See the module comment. `open`, then `write` every record (kinds grouped), then `finish`. */
export class ArchiveWriter {
  readonly #out: Writable;
  readonly #file: string | undefined;
  readonly #layout: ArchiveLayout;
  readonly #header: ArchiveHeader;
  readonly #hash = createHash("sha256");
  readonly #counts: Record<string, number> = {};
  #kind: string | undefined;
  // Text is encoded straight into byte chunks: no record-sized or buffer-sized string is built, and each byte is encoded once.
  #chunk = Buffer.allocUnsafe(FLUSH_AT);
  #used = 0;
  /** Filled chunks waiting to be hashed and written. */
  #ready: Buffer[] = [];
  #bytes = 0;
  #failed: Error | undefined;

  private constructor(out: Writable, file: string | undefined, layout: ArchiveLayout, header: ArchiveHeader) {
    this.#out = out;
    this.#file = file;
    this.#layout = layout;
    this.#header = header;
    out.on("error", (error) => {
      this.#failed = error;
    });
    if (layout === "json") {
      const head = {
        format: ARCHIVE_FORMAT,
        format_version: FORMAT_VERSION,
        api_version: header.apiVersion,
        exported_at: header.exportedAt ?? new Date().toISOString(),
        ...header.extra,
      };
      this.#put(JSON.stringify(head).slice(0, -1));
    }
  }

  /** Opens `target` (a path, or `-` for standard output) for an archive of `layout`. */
  static async open(target: string, layout: ArchiveLayout, header: ArchiveHeader): Promise<ArchiveWriter> {
    if (target === "-") return new ArchiveWriter(process.stdout, undefined, layout, header);
    // A high-water mark above the flush size lets the disk write one buffer while the next one fills.
    const stream: WriteStream = createWriteStream(`${target}.partial`, { mode: 0o600, highWaterMark: 4 * FLUSH_AT });
    await once(stream, "open");
    return new ArchiveWriter(stream, target, layout, header);
  }

  /** Records written so far, per kind. */
  get counts(): Readonly<Record<string, number>> {
    return this.#counts;
  }

  /**
   * Writes one record of `kind` (plural archive key); `text`, when given, is
   * `data`'s JSON as it came and is written instead of serialising `data`.
   * Records of a kind must come together. Answers a promise only when a
   * chunk is full, so a caller awaits once per 256 KiB, not per record.
   */
  write(kind: string, data: unknown, text?: string): Promise<void> | undefined {
    if (kind !== this.#kind) this.#startKind(kind);
    const n = this.#counts[kind]!;
    const json = text ?? JSON.stringify(data);
    if (this.#layout === "json") {
      this.#put(json, n === 0 ? 1 : 2);
    } else {
      this.#put(`{"kind":${JSON.stringify(singularOf(kind))},"data":`);
      this.#put(json);
      this.#put("}\n");
    }
    this.#counts[kind] = n + 1;
    return this.#ready.length > 0 ? this.#flush(true) : undefined;
  }

  /**
   * Encodes `text` into the current chunk, starting a new one when it might
   * not fit; `separator` puts the last 1 or 2 bytes of ",\n" before it (set
   * by hand: a native call per record saved).
   */
  #put(text: string, separator: 0 | 1 | 2 = 0): void {
    const worst = text.length * 3 + separator;
    if (this.#used + worst > this.#chunk.length) {
      if (this.#used > 0) this.#ready.push(this.#chunk.subarray(0, this.#used));
      this.#chunk = Buffer.allocUnsafe(Math.max(FLUSH_AT, worst));
      this.#used = 0;
    }
    if (separator === 2) this.#chunk[this.#used++] = 0x2c;
    if (separator > 0) this.#chunk[this.#used++] = 0x0a;
    this.#used += this.#chunk.write(text, this.#used);
  }

  #startKind(kind: string): void {
    if (kind in this.#counts) throw new Error(`records of ${kind} came again after other kinds; an archive groups each kind`);
    if (this.#layout === "json") this.#put(`${this.#kind !== undefined ? "]" : ""},\n${JSON.stringify(kind)}:[`);
    this.#counts[kind] = 0;
    this.#kind = kind;
  }

  /** Writes the end (empty arrays for the version's kinds not seen, `counts`, `checksum`), closes and renames the file. */
  async finish(): Promise<WrittenArchive> {
    for (const kind of kindsOf(this.#header.apiVersion)) if (!(kind in this.#counts)) this.#startKind(kind);
    const counts = { ...this.#counts };
    // The checksum covers every byte before it: the JSON archive's closing members, or the NDJSON records.
    if (this.#layout === "json") this.#put(`${this.#kind !== undefined ? "]" : ""},\n"counts":${JSON.stringify(counts)}`);
    await this.#flush(true, true);
    const checksum = `${CHECKSUM_PREFIX}${this.#hash.digest("hex")}`;
    if (this.#layout === "json") this.#put(`,"checksum":"${checksum}"}\n`);
    else {
      const end = {
        kind: "end",
        counts,
        format: ARCHIVE_FORMAT,
        format_version: FORMAT_VERSION,
        api_version: this.#header.apiVersion,
        exported_at: this.#header.exportedAt ?? new Date().toISOString(),
        ...this.#header.extra,
        checksum,
      };
      this.#put(`${JSON.stringify(end)}\n`);
    }
    await this.#flush(false, true);
    if (this.#file !== undefined) {
      this.#out.end();
      await once(this.#out, "close");
      if (this.#failed) throw this.#failed;
      await rename(`${this.#file}.partial`, this.#file);
    }
    return { counts, checksum, bytes: this.#bytes };
  }

  /** Stops writing and removes the partial file (standard output cannot be taken back). */
  async abort(): Promise<void> {
    if (this.#file === undefined) return;
    this.#out.destroy();
    await rm(`${this.#file}.partial`, { force: true });
  }

  /** Hashes (when `hash`) and writes the full chunks, and with `all` the one being filled too. */
  async #flush(hash: boolean, all = false): Promise<void> {
    if (all && this.#used > 0) {
      this.#ready.push(this.#chunk.subarray(0, this.#used));
      this.#chunk = Buffer.allocUnsafe(FLUSH_AT);
      this.#used = 0;
    }
    const chunks = this.#ready;
    this.#ready = [];
    for (const bytes of chunks) {
      if (this.#failed) throw this.#failed;
      if (hash) this.#hash.update(bytes);
      this.#bytes += bytes.length;
      // once() rejects on an "error" while it waits and removes its listeners either way.
      if (!this.#out.write(bytes)) await once(this.#out, "drain");
    }
    if (this.#failed) throw this.#failed;
  }
}
