/**
 * The names an NDJSON archive gives the kinds this resonant does not know. Its lines name each record's kind
 * (`policy`), and only its `end` line, the last, names the kind's key (`"counts": {"policies": 2}`): a server's
 * own export says it there alone, and resonant's export writes it there as the server gave it. A reader that
 * meets such a record before the end line asks here: the archive is read once more to its end, records counted
 * per kind, and the counts matched (`statedNames`); the answer is kept per opened file, which every later reading
 * of it goes through (and which is refused once it changes), so a command reads it once more at most.
 * @module
 */
import { statedNames } from "./format.js";
import { chunksOf, type ArchiveInput, type OpenArchive } from "./input.js";
import { NdjsonArchiveScanner, type NdjsonScanEvent } from "./ndjson-scanner.js";

const learnt = new WeakMap<OpenArchive, Promise<Map<string, string>>>();

/** Record kind to archive key, for the record kinds whose key the end line of `source` states otherwise than by the rule. */
export function statedKindNames(source: Pick<ArchiveInput, "path" | "name" | "file">): Promise<Map<string, string>> {
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
