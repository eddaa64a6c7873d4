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
 * A file is written through {@link SafeFile}: an exclusive temporary file
 * renamed over the target when complete (so a cut export never leaves a file
 * that looks whole, and no planted link is followed), a device or FIFO
 * written in place, `-` standard output; a write error (a full disk) ends
 * the run with a CliError naming the flag and the path. A target named
 * `*.gz` gets the archive gzip-compressed; its counts, checksum and bytes
 * are those of the archive inside, so `gunzip` gives a whole archive.
 * @module
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip, type Gzip } from "node:zlib";
import { ByteChunks } from "../fs/byte-chunks.js";
import { SafeFile } from "../fs/safe-file.js";
import { archiveHeader, kindsOf, MAX_BODY_BYTES, type ApiVersion } from "@resonantgenesis/schemas/meta";
import { CliError } from "../exit.js";
import { MAX_RECORD_BYTES } from "./guards.js";
import { confirmRepeats, RepeatedIds, type Repeat } from "./repeated-ids.js";
import {
  byKind,
  CHECKSUM_PREFIX,
  clashingMember,
  isEnvelopeKey,
  ndjsonRefusal,
  recordKindOf,
  type ArchiveLayout,
  type ArchiveRecord,
} from "./format.js";

/** The header of an archive to write. */
export interface ArchiveHeader {
  /** The API version of the records. */
  apiVersion: ApiVersion;
  /** When it was exported (default: now). */
  exportedAt?: string;
  /** Top-level members to carry through (from an archive read earlier). */
  extra?: Record<string, unknown>;
  /**
   * The kinds to be written, when known before the file is opened (an archive read earlier): one an archive of the
   * layout cannot name (`people` in NDJSON) is refused before a byte is written. Only checked: those without
   * records are written by {@link ArchiveWriter.finish}.
   */
  kinds?: readonly string[];
}

/** What was written. */
export interface WrittenArchive {
  /** Records per kind. */
  counts: Record<string, number>;
  /** `sha256:<hex>`. */
  checksum: string;
  /** Bytes of the archive (before compression, for a `.gz` target). */
  bytes: number;
  /** The records written that are larger than the API's body limit, which no import can send (kind, id, bytes). */
  unimportable: UnimportableRecord[];
}

/** A record larger than the API's 10 MiB body limit: kept in the archive, its import fails alone (413). */
export interface UnimportableRecord {
  /** Its kind (archive key). */
  kind: string;
  /** Its id, as text. */
  id: string;
  /** Its bytes as an archive record. */
  bytes: number;
}

/** What to warn of after writing `unimportable` records, naming the first three: nothing when there are none. */
export function unimportableWarning(unimportable: readonly UnimportableRecord[]): string | undefined {
  if (unimportable.length === 0) return undefined;
  const named = unimportable.slice(0, 3).map((r) => `${r.kind} ${JSON.stringify(r.id)} (${r.bytes} bytes)`);
  const more = unimportable.length > 3 ? ` and ${unimportable.length - 3} more` : "";
  return `${named.join(", ")}${more}: larger than the API's ${MAX_BODY_BYTES}-byte (10 MiB) body limit; kept in the archive, but no import can send ${unimportable.length === 1 ? "it" : "them"} (an import logs each as failed, exit 2) until shortened in the account`;
}

/** True when an archive written to `target` is gzip-compressed: a file named `*.gz`. */
const compressedTarget = (target: string): boolean => /\.gz$/i.test(target);

const FLUSH_AT = 256 * 1024;
// The most chunks the file stream holds at once (its high-water mark is four) and a few to fill meanwhile.
const SPARE_CHUNKS = 8;
// The fingerprint hits kept to be confirmed at the end: past this many, ids surely come twice (two ids share a
// fingerprint about once in 10^19 pairs), and the run stops rather than keep more.
const MAX_SUSPECTS = 1000;
const NEWLINE = [0x0a];
const COMMA_NEWLINE = [0x2c, 0x0a];

/** See the module comment. `open`, then `write` every record (kinds grouped), then `finish`. */
export class ArchiveWriter {
  readonly #file: SafeFile;
  readonly #out: Writable;
  readonly #gzip: Gzip | undefined;
  readonly #piped: Promise<void> | undefined;
  readonly #layout: ArchiveLayout;
  readonly #header: ArchiveHeader;
  readonly #hash = createHash("sha256");
  // Keyed by kind names an archive or a server chose: without a prototype, so "toString" is not already there.
  readonly #counts: Record<string, number> = byKind();
  #kind: string | undefined;
  /** An NDJSON line's start before its record, `{"kind":"agent","data":` ("" for JSON). */
  #lineStart = "";
  // Text is encoded straight into byte chunks: no record-sized or buffer-sized string is built, and each byte is encoded once.
  readonly #chunks = new ByteChunks(FLUSH_AT, SPARE_CHUNKS);
  #bytes = 0;
  readonly #unimportable: UnimportableRecord[] = [];
  // Every reader of resonant refuses an id twice in one kind: so does the writer (see #repeated).
  readonly #ids = new RepeatedIds();

  private constructor(file: SafeFile, layout: ArchiveLayout, header: ArchiveHeader) {
    this.#file = file;
    if (compressedTarget(file.path)) {
      this.#gzip = createGzip({ chunkSize: FLUSH_AT });
      // Not ended with gzip: commit ends the file, to fsync it first. An error on either side destroys the
      // other (so a full disk fails a write waiting for gzip to drain), and the file keeps it, named.
      this.#piped = pipeline(this.#gzip, file.stream, { end: false });
      this.#piped.catch((error: unknown) => file.fail(error));
    }
    this.#out = this.#gzip ?? file.stream;
    this.#layout = layout;
    this.#header = header;
    if (layout === "json") {
      const head = { ...archiveHeader(header.apiVersion, header.exportedAt), ...header.extra };
      this.#put(JSON.stringify(head).slice(0, -1));
    }
  }

  /**
   * Opens `target` (a path, or `-` for standard output) for an archive of
   * `layout`; `flag` names it in error messages. Throws a CliError for a
   * target that cannot be written (a symbolic link, a missing directory).
   */
  static async open(
    target: string,
    layout: ArchiveLayout,
    header: ArchiveHeader,
    flag = "--out",
  ): Promise<ArchiveWriter> {
    const clash = clashingMember(header.extra ?? {}, layout);
    if (clash !== undefined)
      throw new CliError(
        clash === "kind"
          ? `${flag} ${target}: the archive's top-level member "kind" cannot be carried into NDJSON, whose every line names its kind there: write JSON (--format json)`
          : `${flag} ${target}: the archive's top-level member "${clash}" cannot be carried: it would name "${clash}" twice`,
      );
    const unwritable = layout === "ndjson" ? header.kinds?.find((kind) => ndjsonRefusal(kind)) : undefined;
    if (unwritable !== undefined)
      throw new CliError(`${flag} ${target}: ${ndjsonRefusal(unwritable)}; nothing was written`);
    // A high-water mark above the flush size lets the disk write one buffer while the next one fills.
    const file = await SafeFile.open(flag, target, { highWaterMark: 4 * FLUSH_AT });
    return new ArchiveWriter(file, layout, header);
  }

  /** Records written so far, per kind. */
  get counts(): Readonly<Record<string, number>> {
    return this.#counts;
  }

  /**
   * Writes one record of `kind` (plural archive key); `text`, when given, is
   * `data`'s JSON as it came and is written instead of serialising `data`;
   * `recordKind`, the NDJSON lines' kind as the server named it (`policy` for
   * `policies`: the end line's counts then tell readers the key), else the
   * key less its "s"; `around`, an NDJSON line's own text before and after
   * its data (the line had other members: {@link ArchiveRecord.around}).
   * Records of a kind must come together. Answers a promise only when a
   * chunk is full, so a caller awaits once per 256 KiB, not per record.
   */
  write(
    kind: string,
    data: unknown,
    text?: string,
    recordKind?: string,
    around?: ArchiveRecord["around"],
  ): Promise<void> | undefined {
    if (kind !== this.#kind) this.#startKind(kind, recordKind);
    const n = this.#counts[kind]!;
    const json = text ?? JSON.stringify(data);
    this.#checkSize(kind, data, json, around);
    const id = (data as { id?: unknown } | null)?.id;
    if (!this.#ids.add(kind, id)) this.#repeated(kind, id);
    if (this.#layout === "json") {
      this.#put(json, n === 0 ? 1 : 2);
    } else {
      // Most lines have no `around`: they take the kind's one start and closing, nothing built per record.
      this.#put(around ? around[0] : this.#lineStart);
      this.#put(json);
      this.#put(around ? `${around[1]}\n` : "}\n");
    }
    this.#counts[kind] = n + 1;
    return this.#chunks.hasFilled ? this.#flush(true) : undefined;
  }

  /**
   * Refuses a record larger than any reader of resonant takes (it would refuse the whole archive at it), and notes
   * one larger than an import body: a session's steps can take one the API accepted past its body limit. Measured
   * as the readers measure: the record, or (NDJSON) its line without the newline.
   */
  #checkSize(kind: string, data: unknown, json: string, line?: ArchiveRecord["around"]): void {
    // A UTF-16 unit is 1 to 3 bytes of UTF-8: most records are told apart without counting.
    // An NDJSON line adds its start and its closing "}", or the line's own text around its data.
    const before = line ? line[0] : this.#lineStart;
    const after = line ? line[1] : this.#lineStart === "" ? "" : "}";
    if ((json.length + before.length + after.length) * 3 <= MAX_BODY_BYTES) return;
    const bytes = Buffer.byteLength(json) + Buffer.byteLength(before) + Buffer.byteLength(after);
    const id = String((data as { id?: unknown } | null)?.id);
    if (bytes > MAX_RECORD_BYTES)
      throw new CliError(
        `${kind} ${JSON.stringify(id)} is ${bytes} bytes as an archive record, more than the ${MAX_RECORD_BYTES} (64 MiB) any reader of resonant takes; nothing was written`,
      );
    if (Buffer.byteLength(json) > MAX_BODY_BYTES) this.#unimportable.push({ kind, id, bytes });
  }

  /**
   * An id whose fingerprint came before in its kind. A file is read back before it is renamed into place, and the
   * ids it holds twice refused then ({@link ArchiveWriter.finish}); standard output, a device or a FIFO cannot be
   * read back, so there the fingerprint is taken for the id and the run stops at once, before the archive's end,
   * which its readers then miss: a refusal of two ids that share their fingerprint is the price of memory bounded
   * without a file to read again.
   */
  #repeated(kind: string, id: unknown): void {
    if (this.#file.staged && this.#ids.suspects.size <= MAX_SUSPECTS) return;
    const ending = this.#file.staged
      ? `more than ${MAX_SUSPECTS} objects came twice; nothing was written`
      : "what was written stops here, without the archive's end";
    throw new CliError(repeatedMessage(`${kind} ${JSON.stringify(String(id))} comes twice${repeatedWhere}`, ending));
  }

  /** Reads the whole file at `temp` again for the ids whose fingerprint came twice, and refuses it if one really does. */
  async #confirmIds(temp: string): Promise<void> {
    const { count, repeats } = await confirmRepeats({ path: temp, name: this.#file.path }, this.#ids.suspects);
    if (count === 0) return;
    const id = (record: ArchiveRecord) => JSON.stringify(String((record.data as { id?: unknown } | null)?.id));
    const places = ({ record, first }: Repeat) => `${first.kind}[${first.index}] and ${record.kind}[${record.index}]`;
    const more = count > repeats.length ? `; and ${count - repeats.length} more` : "";
    const what =
      count === 1
        ? `${repeats[0]!.record.kind} ${id(repeats[0]!.record)} comes twice${repeatedWhere} (${places(repeats[0]!)})`
        : `${count} objects come twice${repeatedWhere} (${repeats.map((r) => `${r.record.kind} ${id(r.record)}: ${places(r)}`).join("; ")}${more})`;
    throw new CliError(repeatedMessage(what, "nothing was written"));
  }

  /** Encodes `text`; `separator` puts the last 1 or 2 bytes of ",\n" before it. */
  #put(text: string, separator: 0 | 1 | 2 = 0): void {
    this.#chunks.put(text, separator === 2 ? COMMA_NEWLINE : separator === 1 ? NEWLINE : undefined);
  }

  #startKind(kind: string, given?: string): void {
    if (Object.hasOwn(this.#counts, kind))
      throw new Error(`records of ${kind} came again after other kinds; an archive groups each kind`);
    if (isEnvelopeKey(kind) || Object.hasOwn(this.#header.extra ?? {}, kind))
      throw new CliError(`the kind "${kind}" cannot be written: the archive would name "${kind}" twice`);
    if (this.#layout === "ndjson") {
      const recordKind = given ?? recordKindOf(kind);
      if (recordKind === undefined) throw new CliError(ndjsonRefusal(kind)!);
      this.#lineStart = `{"kind":${JSON.stringify(recordKind)},"data":`;
    }
    if (this.#layout === "json") this.#put(`${this.#kind !== undefined ? "]" : ""},\n${JSON.stringify(kind)}:[`);
    this.#counts[kind] = 0;
    this.#kind = kind;
    // A kind's records come together (refused above otherwise): the ids of the kinds before cannot come again.
    this.#ids.endKind();
  }

  /**
   * Writes the end (each kind of the version's and of `kinds`, the archive's kinds, with records or not, that no
   * record was written of, as an empty array or a count of 0; `counts`; `checksum`), then commits the file (fsync,
   * rename).
   */
  async finish(kinds: readonly string[] = []): Promise<WrittenArchive> {
    // A newer server's kind without records too: left out, the archive would no longer say the account has none.
    for (const kind of [...kindsOf(this.#header.apiVersion), ...kinds])
      if (!Object.hasOwn(this.#counts, kind)) this.#startKind(kind);
    const counts = { ...this.#counts };
    // The checksum covers every byte before it: the JSON archive's closing members, or the NDJSON records.
    if (this.#layout === "json")
      this.#put(`${this.#kind !== undefined ? "]" : ""},\n"counts":${JSON.stringify(counts)}`);
    await this.#flush(true, true);
    const checksum = `${CHECKSUM_PREFIX}${this.#hash.digest("hex")}`;
    if (this.#layout === "json") this.#put(`,"checksum":"${checksum}"}\n`);
    else {
      const end = {
        kind: "end",
        counts,
        ...archiveHeader(this.#header.apiVersion, this.#header.exportedAt),
        ...this.#header.extra,
        checksum,
      };
      this.#put(`${JSON.stringify(end)}\n`);
    }
    await this.#flush(false, true);
    if (this.#gzip) {
      this.#gzip.end();
      // Settles once every compressed byte has been handed to the file.
      await this.#piped!.catch((error: unknown) => {
        this.#file.check();
        throw error;
      });
    }
    await this.#file.commit(this.#ids.suspects.size > 0 ? (temp) => this.#confirmIds(temp) : undefined);
    return { counts, checksum, bytes: this.#bytes, unimportable: this.#unimportable };
  }

  /** Stops writing and removes the temporary file (standard output and devices cannot be taken back). */
  async abort(): Promise<void> {
    this.#gzip?.destroy();
    await this.#file.abort();
  }

  /** Hashes (when `hash`) and writes the full chunks, and with `all` the one being filled too. */
  async #flush(hash: boolean, all = false): Promise<void> {
    if (all) this.#chunks.seal();
    const chunks = this.#chunks.take();
    for (const bytes of chunks) {
      this.#file.check();
      if (hash) this.#hash.update(bytes);
      this.#bytes += bytes.length;
      // once() rejects on an "error" while it waits (the file keeps it, named) and removes its listeners either way.
      // The callback comes once the stream is done with `bytes` (written, or failed): only then is it filled again.
      if (!this.#out.write(bytes, () => this.#chunks.release(bytes))) {
        await once(this.#out, "drain").catch((error: unknown) => {
          this.#file.check();
          throw error;
        });
      }
    }
    this.#file.check();
  }
}

const repeatedWhere = " in one kind of what the server sent";

/** The refusal of an archive that would hold an object twice: what comes twice, then what became of the output. */
function repeatedMessage(what: string, ending: string): string {
  return `${what}: an archive holds each object once, and import, verify and restore would refuse the whole archive; ${ending}. Run it again (a live account's export pages can move under a run); if it comes again, the server sends that object twice`;
}
