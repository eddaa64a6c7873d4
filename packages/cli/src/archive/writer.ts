/**
 * Writing an archive record by record, JSON or NDJSON, to a file or standard
 * output. Records are serialised one at a time into a buffer that is flushed
 * in 256 KiB writes, waiting for the stream to drain, so memory holds one
 * buffer whatever the account's size. Every archive written here ends with
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
  #buffer = "";
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
      this.#buffer = `${JSON.stringify(head).slice(0, -1)}`;
    }
  }

  /** Opens `target` (a path, or `-` for standard output) for an archive of `layout`. */
  static async open(target: string, layout: ArchiveLayout, header: ArchiveHeader): Promise<ArchiveWriter> {
    if (target === "-") return new ArchiveWriter(process.stdout, undefined, layout, header);
    const stream: WriteStream = createWriteStream(`${target}.partial`, { mode: 0o600 });
    await once(stream, "open");
    return new ArchiveWriter(stream, target, layout, header);
  }

  /** Records written so far, per kind. */
  get counts(): Readonly<Record<string, number>> {
    return this.#counts;
  }

  /** Writes one record of `kind` (plural archive key). Records of a kind must come together. */
  async write(kind: string, data: unknown): Promise<void> {
    if (kind !== this.#kind) this.#startKind(kind);
    const n = this.#counts[kind]!;
    const text = JSON.stringify(data);
    if (this.#layout === "json") this.#buffer += n === 0 ? `\n${text}` : `,\n${text}`;
    else this.#buffer += `{"kind":${JSON.stringify(singularOf(kind))},"data":${text}}\n`;
    this.#counts[kind] = n + 1;
    if (this.#buffer.length >= FLUSH_AT) await this.#flush();
  }

  #startKind(kind: string): void {
    if (kind in this.#counts) throw new Error(`records of ${kind} came again after other kinds; an archive groups each kind`);
    if (this.#layout === "json") {
      if (this.#kind !== undefined) this.#buffer += "]";
      this.#buffer += `,\n${JSON.stringify(kind)}:[`;
    }
    this.#counts[kind] = 0;
    this.#kind = kind;
  }

  /** Writes the end (empty arrays for the version's kinds not seen, `counts`, `checksum`), closes and renames the file. */
  async finish(): Promise<WrittenArchive> {
    for (const kind of kindsOf(this.#header.apiVersion)) if (!(kind in this.#counts)) this.#startKind(kind);
    const counts = { ...this.#counts };
    let checksum: string;
    if (this.#layout === "json") {
      if (this.#kind !== undefined) this.#buffer += "]";
      this.#buffer += `,\n"counts":${JSON.stringify(counts)}`;
      this.#hash.update(this.#buffer);
      checksum = `${CHECKSUM_PREFIX}${this.#hash.digest("hex")}`;
      await this.#emit(`${this.#buffer},"checksum":"${checksum}"}\n`, false);
    } else {
      this.#hash.update(this.#buffer);
      checksum = `${CHECKSUM_PREFIX}${this.#hash.digest("hex")}`;
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
      await this.#emit(`${this.#buffer}${JSON.stringify(end)}\n`, false);
    }
    this.#buffer = "";
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

  async #flush(): Promise<void> {
    const text = this.#buffer;
    this.#buffer = "";
    await this.#emit(text, true);
  }

  async #emit(text: string, hash: boolean): Promise<void> {
    if (this.#failed) throw this.#failed;
    if (hash) this.#hash.update(text);
    const bytes = Buffer.from(text);
    this.#bytes += bytes.length;
    if (!this.#out.write(bytes)) await Promise.race([once(this.#out, "drain"), once(this.#out, "error").then(([e]) => Promise.reject(e as Error))]);
  }
}
