/**
 * The records of a live account, from the SDK's `exportStream`, in the
 * archive's terms: plural kinds, unknown kinds (which the SDK hands on whole)
 * by their archive key (the server's, from the export's end line: see
 * held-kinds.ts), and never a secret.
 * @module
 */
import { isKind } from "@resonantgenesis/schemas/meta";
import type { ApiVersion, ExportRecord, ResonantClient, WithText } from "@resonantgenesis/sdk";
import { archiveKeyOf, type LineExtras, lineExtrasNote, recordFault } from "../archive/format.js";
import { duplicateKey, keyColons, keysWithin, keysWritten, MAX_DEPTH } from "../archive/guards.js";
import { type CutLine, cutLine } from "../archive/line-data.js";
import { CliError } from "../exit.js";
import { HeldKinds } from "./held-kinds.js";

/** One object of the account. */
export interface LiveRecord {
  /** Plural kind. */
  kind: string;
  /** The object as the server sent it (less any secret). */
  data: Record<string, unknown>;
  /**
   * The object's JSON as the server sent it, when it could be cut from its line: written on as it is. The text `data`
   * was parsed from (a comparison takes `data` as its parse), so never given when a secret was taken out of `data`.
   */
  text?: string | undefined;
  /** A kind resonant does not know: its NDJSON record kind as the server sent it (`policy`), which its archive key may not tell. */
  recordKind?: string;
  /**
   * The line's own text before and after `text`, when the line had members besides `kind` and `data` (a newer
   * server's: docs/protocol.md section 8): an NDJSON archive writes them again byte for byte. `extra` names the first.
   */
  around?: CutLine["around"];
  /** The first member of the line besides `kind` and `data`, when it had one. */
  extra?: string;
}

/**
 * Where a reading of the account says that its export's end line names a newer kind nowhere ({@link namesApart}):
 * the command's Reporter, so every command that reads an account warns on one channel. Required of every reader:
 * while it was an optional callback, verify, restore, the dry runs and migrate test passed none and said nothing.
 */
export interface ApartWarnings {
  /** Says `message` once (stderr, or a `warning` event with --json, even with --quiet). */
  warn(message: string): void;
}

/** Drops a `secret` that a webhook or trigger should never carry in an export or a read (defence in depth: the API sends none). */
export function withoutSecret(kind: string, data: Record<string, unknown>): Record<string, unknown> {
  if ((kind === "webhooks" || kind === "triggers") && "secret" in data) {
    const { secret: _secret, ...rest } = data;
    return rest;
  }
  return data;
}

/** The start of a record's line per kind, built once per kind rather than once per record. */
const PREFIXES = new Map<string, string>();

/**
 * The `data` part of a record's line, cut from the text rather than serialised again, and the line's own text
 * around it when it holds other members (`extra`: the first of them). The line docs/protocol.md section 6 writes,
 * `{"kind":"<kind>","data":...}`, is cut by its start, built once per kind, when the record shows no other
 * member (`extra`); any other line is read whole ({@link cutWhole}).
 */
function cutRecord(
  kind: string,
  line: string | undefined,
  extra: string | undefined,
): Pick<LiveRecord, "text" | "around" | "extra"> {
  if (line === undefined) return {};
  if (extra === undefined && line.charCodeAt(line.length - 1) === 0x7d /* } */) {
    let prefix = PREFIXES.get(kind);
    if (prefix === undefined) PREFIXES.set(kind, (prefix = `{"kind":${JSON.stringify(kind)},"data":`));
    if (line.startsWith(prefix)) return { text: line.slice(prefix.length, -1) };
  }
  return cutWhole(kind, line);
}

/** Any record line, read whole for where its data is and what else it holds; a member named twice is refused. */
function cutWhole(kind: string, line: string): Pick<LiveRecord, "text" | "around" | "extra"> {
  const cut = cutLine(line);
  if (cut === undefined) return {};
  if (cut.repeated !== undefined) throw repeatedMember(kind, cut.repeated);
  return cut.extra === undefined ? { text: cut.text } : { text: cut.text, around: cut.around, extra: cut.extra };
}

/** A line naming a member twice: JSON.parse keeps the last, a cut of the line the first; which is meant cannot be told. */
function repeatedMember(kind: string, member: string): CliError {
  return new CliError(
    `the account's export sends a ${JSON.stringify(kind)} record line that names its member ${JSON.stringify(member)} twice, as the server sent it: which value is meant cannot be told, so resonant cannot export, compare or copy the account`,
  );
}

/** The first of `record`'s own members besides `kind`, `data` and those named in `also`, if any. */
function extraMember(record: object, also?: string): string | undefined {
  for (const key in record) if (key !== "kind" && key !== "data" && key !== also) return key;
  return undefined;
}

// The last record kind and its archive key: an export sends each kind's records together, so most records ask again.
let lastRecordKind: string | undefined;
let lastKey = "";

/** The archive key of a record kind the server sent; one that has none (`memorie`, whose key would be `memories`) is refused. */
function keyOf(recordKind: string): string {
  if (recordKind === lastRecordKind) return lastKey;
  const kind = archiveKeyOf(recordKind);
  if (kind === undefined)
    throw new CliError(
      `the account's export holds "${recordKind}" records, which this resonant cannot tell from the kind "${recordKind}s" it knows`,
    );
  lastRecordKind = recordKind;
  lastKey = kind;
  return kind;
}

/**
 * What to say when the export's `end` line counts a newer server's kind under no name the records were given
 * (its `counts` name the kind nowhere, as an older server's may, so resonant kept its records' kind plus "s":
 * `policy` records as `policys`), or undefined when the names agree. `written` are the kinds' final names.
 */
export function namesApart(end: { counts: Record<string, unknown> }, written: Iterable<string>): string | undefined {
  const ours = new Set(written);
  const theirs = Object.keys(end.counts).filter((k) => !isKind(k) && !ours.has(k) && Number(end.counts[k]) > 0);
  const guessed = [...ours].filter((k) => !isKind(k) && !Object.hasOwn(end.counts, k));
  if (theirs.length === 0 && guessed.length === 0) return undefined;
  const list = (keys: string[]) => (keys.length > 0 ? keys.map((k) => JSON.stringify(k)).join(", ") : "no kind");
  return `the server counts ${list(theirs)} where resonant names the records ${list(guessed)}: the export's end line names no kind for those records, so resonant named them by their records' kind plus "s", and an import sends them to that name's /import, which may not be the server's`;
}

/**
 * Refuses an object nested past what an archive may hold. The server's JSON.parse takes any depth, but what
 * resonant does next (compare, upgrade, write, read back) does not: verify and restore ended with "Maximum call
 * stack size exceeded", and export wrote an archive every reader of resonant then refused. Answers the keys in
 * `data` at every depth, counted by the same walk, for {@link checkedCut}.
 */
function checkDepth(kind: string, data: Record<string, unknown>): number {
  const keys = keysWithin(data, MAX_DEPTH);
  if (keys < 0)
    throw new CliError(
      `the account's ${kind} ${JSON.stringify(String(data.id))} holds arrays and objects nested more than ${MAX_DEPTH} levels deep, more than an archive may hold: resonant cannot export, compare or copy it; change that object in the account`,
    );
  return keys;
}

/**
 * The record's cut ({@link cutRecord}), its data's text checked to name each key once (`keys`: the keys `data`
 * holds, at every depth). That text is what an export writes and a copy sends, so export wrote, with exit 0, an
 * archive that every reader of resonant refused (`the key "x" appears twice in one object`), found only when the
 * backup was needed.
 */
function checkedCut(
  kind: string,
  recordKind: string,
  data: Record<string, unknown>,
  keys: number,
  line: string | undefined,
  extra: string | undefined,
): Pick<LiveRecord, "text" | "around" | "extra"> {
  const cut = cutRecord(recordKind, line, extra);
  if (cut.text === undefined || keysOnce(cut.text, keys)) return cut;
  // A standard line's start cuts to its end: past a member the record does not show (a server's own `text`, which
  // the SDK's line text shadows) or one named again. Read whole, the line tells which.
  const whole = cutWhole(recordKind, line!);
  if (whole.text !== undefined && whole.text !== cut.text && keysOnce(whole.text, keys)) return whole;
  const path = duplicateKey(whole.text ?? cut.text)?.path ?? "?";
  throw new CliError(
    `the account's ${kind} ${JSON.stringify(String(data.id))} names the key ${JSON.stringify(path)} twice in one object, as the server sent it: an archive's objects name each key once (which value is meant cannot be told), so resonant cannot export, compare or copy it; change that object in the account`,
  );
}

/** Whether `text` names as many keys as its parse holds (`keys`), so none twice. */
function keysOnce(text: string, keys: number): boolean {
  // Most records are cleared without reading each string (a tenth of export's time per record otherwise): the
  // '":' counted are at least the keys written, which are at least the keys parsed, so as many '":' as keys
  // parsed leaves no room for a key written twice.
  return keyColons(text) === keys || keysWritten(text) === keys;
}

/**
 * Refuses a newer server's record that no archive could hold as a record: one without `data`, or whose data is
 * not an object with a string id (docs/protocol.md section 6: `{"kind": ..., "data": {...}}`, every id a string).
 * Written, such a record made an archive that import and verify then refused whole.
 */
function checkUnknown(raw: { kind: string; data?: unknown }): Record<string, unknown> {
  const fault = Object.hasOwn(raw, "data") ? recordFault(raw.data) : "no data";
  if (fault === undefined) return raw.data as Record<string, unknown>;
  const why = {
    "no data": "has no data",
    "not an object": "holds data that is not an object",
    "no id": 'holds data without a string "id"',
  }[fault];
  throw new CliError(
    `the account's export sends a ${JSON.stringify(raw.kind)} record that ${why}: an archive's records are objects with ids (docs/protocol.md section 6), so resonant cannot export, compare or copy the account`,
  );
}

/** One record of `exportStream` in the archive's terms; undefined for the closing `end`. */
export function liveRecord(record: ExportRecord<ApiVersion> & Partial<WithText>): LiveRecord | undefined {
  if (record.kind === "end") return undefined;
  if (record.kind === "unknown") {
    const kind = keyOf(record.raw.kind);
    const data = checkUnknown(record.raw);
    const keys = checkDepth(kind, data);
    // A newer server's record as it came too: its numbers beyond a double were rounded when written again.
    const cut = checkedCut(kind, record.raw.kind, data, keys, record.text, extraMember(record.raw));
    return { kind, data: withoutSecret(kind, data), recordKind: record.raw.kind, ...cut };
  }
  const kind = keyOf(record.kind);
  const data = record.data as Record<string, unknown>;
  const keys = checkDepth(kind, data);
  const kept = withoutSecret(kind, data);
  // Never the text when a secret was taken out: it is what the archive would hold.
  if (kept !== data) return { kind, data: kept };
  const cut = checkedCut(kind, record.kind, data, keys, record.text, extraMember(record, "text"));
  return { kind, data: kept, ...cut };
}

/**
 * What the export's end line (`counts`), the only place a newer server's kind is named, makes of the held kinds:
 * the name it gives each, and what to say when it names one nowhere ({@link namesApart}). Every kind resonant does
 * not know is held, and namesApart weighs no other, so it needs no list of the kinds handed on.
 */
function atEndLine(
  held: HeldKinds,
  counts: Record<string, unknown>,
): { names: ReadonlyMap<string, string>; apart: string | undefined } {
  const names = held.namesFrom(counts);
  const named = held.kinds().map((kind) => names.get(kind) ?? kind);
  return { names, apart: namesApart({ counts }, named) };
}

/**
 * One reading of an export stream: a newer server's kinds held aside until the end line names them, and the
 * lines that carry members besides `kind` and `data` ({@link LiveRecord.around}) counted, for one warning where
 * the command does not keep them (`lost` says why), as an archive's reader counts them.
 */
class LiveReading {
  readonly held = new HeldKinds();
  readonly #warnings: ApartWarnings;
  readonly #lost: string | undefined;
  #line = 0;
  #extras: LineExtras | undefined;

  constructor(warnings: ApartWarnings, lost: string | undefined) {
    this.#warnings = warnings;
    this.#lost = lost;
  }

  /** Counts `live`; true when it is to be held until the end line. */
  holds(live: LiveRecord): boolean {
    this.#line++;
    if (live.extra !== undefined) (this.#extras ??= { lines: 0, line: this.#line, key: live.extra }).lines++;
    return HeldKinds.holds(live);
  }

  /** At the end line (its `counts`): says what there is to say, and answers the held records under their names. */
  end(counts: Record<string, unknown>): AsyncGenerator<LiveRecord, void, undefined> {
    const { names, apart } = atEndLine(this.held, counts);
    if (apart !== undefined) this.#warnings.warn(apart);
    const note =
      this.#lost === undefined ? undefined : lineExtrasNote("the account's export", this.#extras, this.#lost);
    if (note !== undefined) this.#warnings.warn(note);
    return this.held.release(names);
  }
}

/**
 * Hands each record of an export stream to `put` in the archive's terms, a newer server's kinds last under the
 * names its end line gives them, then `warnings` hears when it names one nowhere. A callback, not a generator,
 * for export and copy, which put every record of an account through it: an async generator costs each record a
 * promise more. `put` answers a promise only when it must be waited for. Answers the end line's `counts`, which
 * alone name a newer server's kind the account holds none of. `extrasLost`: why lines' own members are not kept
 * (say it), when they are not.
 */
export async function putLiveRecords(
  stream: AsyncIterable<ExportRecord<ApiVersion> & Partial<WithText>>,
  put: (live: LiveRecord) => Promise<void> | undefined,
  warnings: ApartWarnings,
  extrasLost?: string,
): Promise<Record<string, unknown>> {
  const reading = new LiveReading(warnings, extrasLost);
  try {
    for await (const record of stream) {
      const live = liveRecord(record);
      if (live === undefined) {
        // Only now is a newer server's kind named: its records, held aside, go in under that name.
        const { counts } = record as { counts: Record<string, unknown> };
        for await (const kept of reading.end(counts)) await put(kept);
        return counts;
      }
      if (reading.holds(live)) await reading.held.hold(live);
      else {
        const putting = put(live);
        if (putting) await putting;
      }
    }
  } finally {
    await reading.held.dispose();
  }
  // The SDK ends every stream with its end line, or throws: never reached.
  throw new Error("the export stream ended without its end line");
}

/**
 * Every object of the account, kind by kind in dependency order (the SDK
 * checks the `end` counts), a newer server's kinds last under the names its
 * end line gives them (`warnings` hears when it names one nowhere); with
 * `withText`, each with its exact text where the record's line allows it
 * (1.2's NDJSON lines; on 1.0 and 1.1 the SDK writes each line from its page
 * without loss).
 */
export async function* liveRecords(
  client: ResonantClient<ApiVersion>,
  warnings: ApartWarnings,
  options: { withText?: boolean; extrasLost?: string } = {},
): AsyncGenerator<LiveRecord, void, undefined> {
  const stream = options.withText ? client.data.exportStream({ withText: true }) : client.data.exportStream();
  const reading = new LiveReading(warnings, options.extrasLost);
  try {
    for await (const record of stream) {
      const live = liveRecord(record);
      if (live === undefined) {
        yield* reading.end((record as { counts: Record<string, unknown> }).counts);
        return;
      }
      if (reading.holds(live)) await reading.held.hold(live);
      else yield live;
    }
  } finally {
    await reading.held.dispose();
  }
}

/**
 * Refuses to compare with an account whose export sends one object twice in its kind: what it holds cannot be told
 * from such an answer. Taken as it came, verify counted the second as an extra (its id already matched), reporting
 * an object the archive holds as "in the account, not in the archive", and restore --prune deleted it; the dry runs
 * of import and copy planned against whichever copy came last, so their skip or overwrite stood on either. And a
 * page boundary that moved under the run (1.0 and 1.1 page their export) may have left another object out, which
 * would look missing (or, to a plan, new). So nothing is said of the account and nothing is changed. `plan`: the
 * account is a dry run's target, and the refusal says why in a plan's terms.
 */
export function repeatedLive(kind: string, id: string, plan = false): never {
  const whose = plan ? "the target account" : "the account";
  const risk = plan
    ? "a plan would stand on whichever copy came last, and an object a moving page left out would look new"
    : "the second would look like an object the archive lacks, which restore --prune deletes";
  throw new CliError(
    `${whose}'s export sends ${kind} ${JSON.stringify(id)} twice in its kind: what it holds cannot be told from that answer (${risk}), so resonant neither compares nor changes anything. Run it again (a live account's export pages can move under a run); if it comes again, the server sends that object twice`,
  );
}
