/**
 * The names an NDJSON archive gives the kinds this resonant does not know. Its lines name each record's kind
 * (`policy`), and only its `end` line, the last, names the kind's key (`"counts": {"policies": 2}`): a server's
 * own export says it there alone, and resonant's export writes it there as the server gave it. A reader that
 * meets such a record before the end line asks here. The end line of an uncompressed file is read from its end
 * (a few KiB), and when it counts the kind under its records' kind plus "s" (`workflow` as `workflows`), that is
 * its name. Otherwise the archive is read once more to its end, records counted per kind, and the counts matched
 * (`statedNames`). Each answer is kept per opened file, which every later reading of it goes through (and which
 * is refused once it changes), so a command reads it once more at most.
 * @module
 */
import { archiveKeyOf, statedNames } from "./format.js";
import { MAX_RECORD_BYTES } from "./guards.js";
import { chunksOf, isGzip, type ArchiveInput, type OpenArchive } from "./input.js";
import { NdjsonArchiveScanner, type NdjsonScanEvent } from "./ndjson-scanner.js";

const learnt = new WeakMap<OpenArchive, Promise<Map<string, string>>>();
const endCounts = new WeakMap<OpenArchive, Promise<unknown>>();

/**
 * The archive key of the record kind `recordKind` (one resonant does not know) in `source`: its records' kind plus
 * "s" when the end line counts that name, else the name the end line gives it, else that name all the same.
 */
export async function statedKindName(
  source: Pick<ArchiveInput, "path" | "name" | "file">,
  recordKind: string,
): Promise<string | undefined> {
  const rule = archiveKeyOf(recordKind);
  const { file } = source;
  if (file !== undefined && rule !== undefined) {
    let counts = endCounts.get(file);
    if (counts === undefined) endCounts.set(file, (counts = countsAtEnd(file)));
    const stated = await counts;
    if (stated !== null && typeof stated === "object" && Object.hasOwn(stated, rule)) return rule;
  }
  return (await statedKindNames(source)).get(recordKind) ?? rule;
}

/** The last whitespace bytes of a line: a newline, CR, space and tab. */
const isSpace = (byte: number | undefined) => byte === 0x0a || byte === 0x0d || byte === 0x20 || byte === 0x09;

/**
 * The `counts` of the end line of an uncompressed file, read from its end, backwards: undefined for a compressed
 * file or for a last line that is not an end line (the reading proper then says what is wrong).
 */
async function countsAtEnd(file: OpenArchive): Promise<unknown> {
  if (await isGzip(file.handle)) return undefined;
  const parts: Buffer[] = [];
  let bytes = 0;
  let content = false; // whether a byte other than the last line's trailing whitespace has been read
  for (let end = file.size; end > 0 && bytes <= MAX_RECORD_BYTES; ) {
    const start = Math.max(0, end - 64 * 1024);
    const { buffer, bytesRead } = await file.handle.read(Buffer.alloc(end - start), 0, end - start, start);
    const part = buffer.subarray(0, bytesRead);
    parts.unshift(part);
    bytes += bytesRead;
    end = start;
    // The parts are joined once, when the newline before the last line is read: joined at each read,
    // a last line of 10 MiB would be copied 160 times.
    let at = part.length;
    if (!content) while (at > 0 && isSpace(part[at - 1])) at--;
    content ||= at > 0;
    if ((at === 0 || part.lastIndexOf(0x0a, at - 1) === -1) && end > 0) continue;
    const tail = Buffer.concat(parts);
    let stop = tail.length;
    while (stop > 0 && isSpace(tail[stop - 1])) stop--;
    const newline = tail.lastIndexOf(0x0a, stop - 1);
    if (newline === -1 && end > 0) continue;
    try {
      const line = JSON.parse(tail.toString("utf8", newline + 1, stop)) as { kind?: unknown; counts?: unknown };
      return line.kind === "end" ? line.counts : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Record kind to archive key, for the record kinds whose key the end line of `source` states otherwise than by the rule. */
function statedKindNames(source: Pick<ArchiveInput, "path" | "name" | "file">): Promise<Map<string, string>> {
  const { file } = source;
  if (file === undefined) return scan(source);
  let names = learnt.get(file);
  if (names === undefined) learnt.set(file, (names = scan(source)));
  return names;
}

async function scan(source: Pick<ArchiveInput, "path" | "name" | "file">): Promise<Map<string, string>> {
  const scanner = new NdjsonArchiveScanner();
  const seen = new Map<string, number>();
  let counts: unknown;
  const take = (events: NdjsonScanEvent[]) => {
    for (const event of events)
      if (event.type === "record") seen.set(event.recordKind, (seen.get(event.recordKind) ?? 0) + 1);
      else counts = event.value.counts;
  };
  try {
    for await (const chunk of chunksOf(source)) take(scanner.push(chunk));
    take(scanner.end());
  } catch {
    // A damaged archive: the reading proper meets the same damage, and names it where it is.
    return new Map();
  }
  return statedNames(seen, counts);
}
