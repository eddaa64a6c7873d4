/**
 * Reading an archive as a stream of records, JSON or NDJSON (told apart by
 * the first member name: NDJSON records start with "kind"), with every check
 * that makes a damaged file fail loudly: the format tag and version, a known
 * API version, kinds the version has, the stated per-kind counts, the
 * checksum, and an end (the closing '}' or the "end" line). Unknown
 * top-level members and unknown kinds are kept, never dropped.
 * @module
 */
import { isPlainObject } from "../core/own-fields.js";
import {
  API_VERSION_NAMES,
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  isApiVersion,
  isKind,
  KINDS,
  kindsOf,
  RECORD_KIND,
  type ApiVersion,
} from "@resonantgenesis/schemas/meta";
import { ArchiveError } from "../exit.js";
import {
  byKind,
  CHECKSUM_PREFIX,
  clashingMember,
  extraMembers,
  isEnvelopeKey,
  archiveKeyOf,
  recordFault,
  recordKindOf,
  withEmptyKinds,
  type ArchiveInfo,
  type ArchiveLayout,
  type ArchiveRecord,
} from "./format.js";
import { chunksOf, lineAndColumn, type ArchiveInput, type ArchiveSource } from "./input.js";
import { JsonArchiveScanner, ScanError } from "./json-scanner.js";
import { statedKindName } from "./kind-names.js";
import { NdjsonArchiveScanner } from "./ndjson-scanner.js";
import { MemberBudget } from "./guards.js";

/** Options of {@link ArchiveReader}. */
export interface ReaderOptions {
  /**
   * NDJSON only: the archive key of each record kind named here, in place of the rule every resonant writes by
   * (`archiveKeyOf`); a kind resonant does not know and not named here takes the key its end line states (kind-names.ts).
   */
  kindNames?: Record<string, string>;
}

/** The first bytes of the archive at `path` (decompressed): enough to tell its layout and how it was saved. */
async function headOf(source: ArchiveSource): Promise<string> {
  for await (const chunk of chunksOf(source, 64 * 1024)) return chunk.toString("utf8");
  return "";
}

/** Tells JSON from NDJSON by the first object: a record line has a `"kind"` (first, as resonant writes it, or not). */
export async function detectLayout(path: string): Promise<ArchiveLayout> {
  return layoutOf(await headOf(path));
}

function layoutOf(head: string): ArchiveLayout {
  if (/^\uFEFF?\s*\{\s*"kind"\s*:/.test(head)) return "ndjson";
  // A record line whose members come in another order (a newer server's, which an NDJSON archive keeps byte for
  // byte) is a whole object on the first line with a string "kind"; no JSON archive's first line is one.
  const end = head.indexOf("\n");
  if (end === -1) return "json";
  try {
    const first: unknown = JSON.parse(head.slice(head.startsWith("\uFEFF") ? 1 : 0, end));
    return isPlainObject(first) && typeof first.kind === "string" && !Object.hasOwn(first, "format")
      ? "ndjson"
      : "json";
  } catch {
    return "json";
  }
}

// Neither is ever written by resonant: each says the file was saved again by another program.
const BOM =
  "the file starts with a UTF-8 byte order mark (bytes EF BB BF), which resonant never writes: it was saved again by an editor or a tool (PowerShell's Out-File, Notepad) after it was exported; remove those three bytes, or export again";
const CRLF_HINT =
  "; its lines end in CR LF, which resonant never writes: git's core.autocrlf or a Windows editor may have converted them (dos2unix converts them back)";

/**
 * One archive, read as a stream: iterate `records()`; once it has ended,
 * `info` holds what the file said about itself. Every problem throws an
 * {@link ArchiveError} naming the file and the place.
 */
export class ArchiveReader {
  /** Filled when `records()` has run to its end. */
  info: ArchiveInfo | undefined;
  /** The archive's API version, once read (NDJSON: at its end line; JSON: with the header). */
  apiVersion: ApiVersion | undefined;
  readonly #input: Pick<ArchiveInput, "path" | "name" | "file">;
  readonly #options: ReaderOptions;
  /** Whether the first bytes hold a CR LF, which explains a checksum mismatch. */
  #crlf = false;

  constructor(input: Pick<ArchiveInput, "path" | "name" | "file">, options: ReaderOptions = {}) {
    this.#input = input;
    this.#options = options;
  }

  /** Every record of the archive, in file order, each checked for shape (an object with a string id). */
  async *records(): AsyncGenerator<ArchiveRecord, void, undefined> {
    let layout: ArchiveLayout = "json";
    try {
      // Inside: a small compressed file is inflated whole on the first read, so its damage shows here.
      const head = await headOf(this.#input);
      layout = layoutOf(head);
      if (head.startsWith("\uFEFF")) throw new ScanError(0, BOM);
      this.#crlf = head.includes("\r\n");
      if (layout === "json") yield* this.#json();
      else yield* this.#ndjson();
    } catch (error) {
      if (error instanceof ScanError) throw await this.#at(error.offset, error.message, layout);
      // zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR for a cut stream): the compressed file itself is damaged.
      const code = (error as NodeJS.ErrnoException).code;
      if (code?.startsWith("Z_"))
        throw new ArchiveError(
          this.#input.name,
          "gzip",
          `the compressed data is damaged or cut short (${code}: ${(error as Error).message})`,
        );
      throw error;
    }
  }

  async #at(offset: number, problem: string, layout: ArchiveLayout): Promise<ArchiveError> {
    if (layout === "ndjson") return new ArchiveError(this.#input.name, `byte ${offset}`, problem);
    const { line, column } = await lineAndColumn(this.#input, offset);
    return new ArchiveError(this.#input.name, `byte ${offset} (line ${line}, column ${column})`, problem);
  }

  async *#json(): AsyncGenerator<ArchiveRecord, void, undefined> {
    const scanner = new JsonArchiveScanner();
    // Keyed by the archive's own names: without a prototype, so "constructor" or "toString" is not already
    // there and a "__proto__" member is a member (not the prototype, which would lend its fields to the header).
    const header: Record<string, unknown> = byKind();
    const counts: Record<string, number> = byKind();
    const kindOrder: string[] = [];
    let stated: Record<string, unknown> | undefined;
    let checksum: ArchiveInfo["checksum"] = "absent";
    let kind = "";
    let index = 0;
    const budget = new MemberBudget();
    for await (const chunk of chunksOf(this.#input)) {
      for (const event of scanner.push(chunk as Buffer)) {
        switch (event.type) {
          case "member":
            budget.take(event.offset, event.bytes);
            if (Object.hasOwn(header, event.key) || Object.hasOwn(counts, event.key))
              throw new ScanError(event.offset, `"${event.key}" appears twice`);
            // Read as no records at all, it would import nothing of the kind and be written again beside its array.
            if (isKind(event.key))
              throw new ScanError(
                event.offset,
                `"${event.key}" is a kind: it must be an array of records, not ${JSON.stringify(event.value).slice(0, 60)}`,
              );
            header[event.key] = event.value;
            this.#checkHeader(event.key, event.value, event.offset);
            if (event.key === "counts") stated = this.#checkCounts(event.value, event.offset);
            break;
          case "array-start":
            budget.take(event.offset);
            kind = event.key;
            if (Object.hasOwn(counts, kind)) throw new ScanError(event.offset, `the kind "${kind}" appears twice`);
            if (Object.hasOwn(header, kind)) throw new ScanError(event.offset, `"${kind}" appears twice`);
            if (isEnvelopeKey(kind))
              throw new ScanError(
                event.offset,
                `"${kind}" is the archive's own member, not a kind: it cannot be an array`,
              );
            if (this.apiVersion && isKind(kind) && !kindsOf(this.apiVersion).includes(kind)) {
              throw new ScanError(
                event.offset,
                `"${kind}" does not exist in API ${this.apiVersion} (the archive's api_version): wrong version?`,
              );
            }
            counts[kind] = 0;
            kindOrder.push(kind);
            index = 0;
            break;
          case "record":
            this.#checkRecord(event.data, kind, index, event.offset);
            counts[kind] = index + 1;
            yield { kind, index, data: event.data, text: event.text, offset: event.offset };
            index++;
            break;
          case "array-end":
            break;
          case "checksum":
            this.#checkChecksum(event.stated, event.computed, event.offset);
            checksum = "verified";
            break;
        }
      }
    }
    try {
      scanner.end();
    } catch (error) {
      if (error instanceof ScanError && stated) {
        const read = Object.values(counts).reduce((a, b) => a + b, 0);
        throw new ScanError(error.offset, `${error.message}; ${read} records read`);
      }
      throw error;
    }
    if (header.format === undefined)
      throw new ScanError(0, `not a ResonantGenesis archive: no "format" member (expected "${ARCHIVE_FORMAT}")`);
    if (header.format_version === undefined) throw new ScanError(0, `no "format_version" member`);
    if (!this.apiVersion) throw new ScanError(0, `no "api_version" member`);
    this.#compareCounts(stated, counts, scanner.offset);
    for (const k of kindOrder) {
      if (isKind(k) && !kindsOf(this.apiVersion).includes(k) && (counts[k] ?? 0) > 0) {
        throw new ScanError(
          0,
          `"${k}" does not exist in API ${this.apiVersion} (the archive's api_version): wrong version?`,
        );
      }
    }
    const extra = extraMembers(header);
    this.info = {
      layout: "json",
      apiVersion: this.apiVersion,
      exportedAt: header.exported_at as string | undefined,
      counts,
      kindOrder,
      checksum,
      extra,
      bytes: scanner.offset,
    };
  }

  async *#ndjson(): AsyncGenerator<ArchiveRecord, void, undefined> {
    const scanner = new NdjsonArchiveScanner();
    const counts: Record<string, number> = byKind(); // keyed by the archive's names: see #json
    const budget = new MemberBudget();

    const kindOrder: string[] = [];
    const names = byKind(this.#options.kindNames);
    for (const kind of KINDS) if (!Object.hasOwn(names, RECORD_KIND[kind])) names[RECORD_KIND[kind]] = kind;
    // A record of a kind resonant does not know, met for the first time: its key may be another than the rule's.
    const asked = new Set<string>();
    const learn = async (events: ReturnType<NdjsonArchiveScanner["push"]>) => {
      for (const event of events) {
        if (event.type !== "record" || Object.hasOwn(names, event.recordKind) || asked.has(event.recordKind)) continue;
        asked.add(event.recordKind);
        const key = await statedKindName(this.#input, event.recordKind);
        if (key !== undefined) names[event.recordKind] = key;
      }
    };
    let previous = "";
    let endLine: Record<string, unknown> | undefined;
    let computed = "";
    let endOffset = 0;
    let endLineNo = 0;
    const handle = (events: ReturnType<NdjsonArchiveScanner["push"]>): ArchiveRecord[] => {
      const out: ArchiveRecord[] = [];
      for (const event of events) {
        if (event.type === "end") {
          // The line itself is within MAX_RECORD_BYTES; its members are kept to be written again.
          for (const _ in event.value) budget.take(event.offset);
          endLine = event.value;
          computed = event.computed;
          endOffset = event.offset;
          endLineNo = event.line;
          continue;
        }
        const kind = Object.hasOwn(names, event.recordKind) ? names[event.recordKind] : archiveKeyOf(event.recordKind);
        if (kind === undefined)
          throw new ScanError(
            event.offset,
            `line ${event.line}: "${event.recordKind}" records would be the archive's "${event.recordKind}s", whose records are "${recordKindOf(`${event.recordKind}s`)}" lines`,
          );
        if (kind !== previous) {
          budget.take(event.offset);
          if (isEnvelopeKey(kind))
            throw new ScanError(
              event.offset,
              `line ${event.line}: ${event.recordKind} records would be the archive's "${kind}", which is its own member, not a kind`,
            );
          if (Object.hasOwn(counts, kind))
            throw new ScanError(
              event.offset,
              `line ${event.line}: ${event.recordKind} records appear again after other kinds; an archive groups each kind`,
            );
          counts[kind] = 0;
          kindOrder.push(kind);
          previous = kind;
        }
        const index = counts[kind]!;
        this.#checkRecord(event.data, kind, index, event.offset, event.line);
        counts[kind] = index + 1;
        const { data, text, offset, line, recordKind, around } = event;
        out.push({ kind, index, data, text, offset, line, recordKind, ...(around ? { around } : {}) });
      }
      return out;
    };
    for await (const chunk of chunksOf(this.#input)) {
      const events = scanner.push(chunk as Buffer);
      await learn(events);
      yield* handle(events);
    }
    const last = scanner.end();
    await learn(last);
    yield* handle(last);
    const end = endLine!;
    const where = endOffset;
    const format = end.format ?? ARCHIVE_FORMAT;
    const version = end.api_version ?? "1.2"; // the API's own NDJSON export (1.2 only) states none
    this.#checkHeader("format", format, where);
    this.#checkHeader("format_version", end.format_version ?? ARCHIVE_FORMAT_VERSION, where);
    this.#checkHeader("api_version", version, where);
    if (end.exported_at !== undefined) this.#checkHeader("exported_at", end.exported_at, where);
    const stated = this.#checkCounts(end.counts, where);
    this.#compareCounts(stated, counts, where);
    for (const k of kindOrder) {
      if (isKind(k) && !kindsOf(this.apiVersion!).includes(k)) {
        throw new ScanError(
          where,
          `${k} records do not exist in API ${this.apiVersion} (the archive's api_version): wrong version?`,
        );
      }
    }
    let checksum: ArchiveInfo["checksum"] = "absent";
    if (end.checksum !== undefined) {
      this.#checkChecksum(end.checksum, computed, where);
      checksum = "verified";
    }
    const kinds = withEmptyKinds(kindOrder, stated, this.apiVersion!, "ndjson");
    for (const kind of kinds) counts[kind] ??= 0;
    const extra = extraMembers(end, ["kind"]);
    const clash = clashingMember(extra, "ndjson", kinds);
    if (clash !== undefined)
      throw new ScanError(
        where,
        `line ${endLineNo}: the "end" line's member "${clash}" is named like a kind, whose records are lines of their own`,
      );
    this.info = {
      lineExtras: scanner.lineExtras,
      layout: "ndjson",
      apiVersion: this.apiVersion!,
      exportedAt: end.exported_at as string | undefined,
      counts,
      kindOrder: kinds,
      checksum,
      extra,
      bytes: scanner.offset,
    };
  }

  #checkHeader(key: string, value: unknown, offset: number): void {
    switch (key) {
      case "format":
        if (value !== ARCHIVE_FORMAT)
          throw new ScanError(
            offset,
            `not a ResonantGenesis archive: "format" is ${JSON.stringify(value)}, expected "${ARCHIVE_FORMAT}"`,
          );
        break;
      case "format_version":
        if (value !== ARCHIVE_FORMAT_VERSION)
          throw new ScanError(
            offset,
            `"format_version" is ${JSON.stringify(value)}; this resonant reads format version ${ARCHIVE_FORMAT_VERSION}`,
          );
        break;
      case "api_version":
        if (!isApiVersion(value))
          throw new ScanError(
            offset,
            `"api_version" is ${JSON.stringify(value)}, not an API version this resonant knows (${API_VERSION_NAMES.join(", ")})`,
          );
        this.apiVersion = value;
        break;
      case "exported_at":
        if (typeof value !== "string") throw new ScanError(offset, `"exported_at" must be a string`);
        break;
      default:
        break;
    }
  }

  #checkCounts(value: unknown, offset: number): Record<string, unknown> {
    if (value === undefined) return {};
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new ScanError(offset, `"counts" must be an object of kind to number`);
    for (const [kind, n] of Object.entries(value)) {
      if (!Number.isInteger(n) || (n as number) < 0)
        throw new ScanError(offset, `"counts.${kind}" must be a whole number, not ${JSON.stringify(n)}`);
    }
    return value as Record<string, unknown>;
  }

  #compareCounts(stated: Record<string, unknown> | undefined, counts: Record<string, number>, offset: number): void {
    if (!stated) return;
    for (const [kind, n] of Object.entries(stated)) {
      const found = counts[kind] ?? 0;
      if (found !== n) {
        throw new ScanError(
          offset,
          `the archive states ${String(n)} ${kind} but holds ${found}: it was cut or altered`,
        );
      }
    }
  }

  #checkChecksum(stated: unknown, computed: string, offset: number): void {
    if (typeof stated !== "string" || !stated.startsWith(CHECKSUM_PREFIX)) {
      throw new ScanError(offset, `"checksum" must be "${CHECKSUM_PREFIX}<hex>", not ${JSON.stringify(stated)}`);
    }
    if (stated.slice(CHECKSUM_PREFIX.length) !== computed) {
      throw new ScanError(
        offset,
        `checksum mismatch: the archive was altered or damaged after it was written (states ${stated}, its bytes give ${CHECKSUM_PREFIX}${computed})${this.#crlf ? CRLF_HINT : ""}`,
      );
    }
  }

  #checkRecord(data: unknown, kind: string, index: number, offset: number, line?: number): void {
    const at = line === undefined ? `${kind}[${index}]` : `line ${line} (${kind}[${index}])`;
    const fault = recordFault(data);
    if (fault === "not an object") throw new ScanError(offset, `${at}: a record must be an object`);
    if (fault === "no id") throw new ScanError(offset, `${at}: the record has no string "id"`);
  }
}
