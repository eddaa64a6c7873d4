/**
 * The records of kinds this resonant does not know, held aside while an account is exported, because only the
 * export's `end` line names them: `policy` records may be the server's `policies`, which resonant cannot tell
 * from its records' kind. Each is written as one line of JSON to a private temporary file (mode 0600, in a
 * 0700 folder: see fs/temp-dir.ts), so memory holds a few hundred KiB whatever the account's size; once the end
 * line has come, they are read back, kind by kind in the order they came, under the name it gives them
 * (`statedNames`), or under their records' kind plus "s" when it counts them nowhere (an older server). Known
 * kinds are never held: they go on at once, and the held ones come after them, which is also the order an
 * import takes them in (known kinds in dependency order, then a newer server's).
 * @module
 */
import { createReadStream } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { isKind } from "@resonantgenesis/schemas/meta";
import { recordKindOf, statedNames } from "../archive/format.js";
import { fileError } from "../fs/file-error.js";
import { privateTempDir } from "../fs/temp-dir.js";
import type { LiveRecord } from "./records.js";

/** Text gathered before it is written: one write per this much rather than one per record. */
const WRITE_AT = 256 * 1024;

/** See the module comment: `hold` each record {@link HeldKinds.holds} takes, then `release` at the end line, and always `dispose`. */
export class HeldKinds {
  #dir: { dir: string; dispose(): Promise<void> } | undefined;
  #file: FileHandle | undefined;
  #pending: string[] = [];
  #pendingChars = 0;
  /** Records held per kind (its name by the rule: record kind plus "s"), in the order the kinds came. */
  readonly #kinds = new Map<string, number>();

  /** True for a record of a kind this resonant does not know: its name waits for the end line. */
  static holds(live: LiveRecord): boolean {
    return !isKind(live.kind);
  }

  /** The kinds held, by their records' kind plus "s", in the order they came. */
  kinds(): string[] {
    return [...this.#kinds.keys()];
  }

  /** Keeps `live` aside (its data as one line of JSON). */
  async hold(live: LiveRecord): Promise<void> {
    this.#kinds.set(live.kind, (this.#kinds.get(live.kind) ?? 0) + 1);
    // A line's own members go on a line of their own before its data: `[before, after, extra]` (data is an object).
    const around = live.around ? `${JSON.stringify([...live.around, live.extra])}\n` : "";
    const line = `${around}${live.text ?? JSON.stringify(live.data)}\n`;
    this.#pending.push(line);
    this.#pendingChars += line.length;
    if (this.#pendingChars >= WRITE_AT) await this.#write();
  }

  /**
   * The name of each held kind as the end line's `counts` state it (`policys` to `policies`): only those whose
   * name differs. Their records' kind is the held name less its "s" (the rule is one-to-one).
   */
  namesFrom(counts: unknown): Map<string, string> {
    const seen = new Map([...this.#kinds].map(([kind, n]) => [recordKindOf(kind) ?? kind, n] as const));
    const byRecordKind = statedNames(seen, counts);
    return new Map(
      [...this.#kinds.keys()].flatMap((kind) => {
        const named = byRecordKind.get(recordKindOf(kind) ?? kind);
        return named === undefined ? [] : [[kind, named] as const];
      }),
    );
  }

  /** The held records, kind by kind in the order they came, each kind renamed by `names` (from {@link namesFrom}). */
  async *release(names: ReadonlyMap<string, string>): AsyncGenerator<LiveRecord, void, undefined> {
    if (this.#kinds.size === 0) return;
    await this.#write();
    await this.#file!.close();
    this.#file = undefined;
    const lines = linesOf(this.#path());
    const kinds = [...this.#kinds];
    let k = 0;
    let left = kinds[0]![1];
    let around: [string, string, string] | undefined;
    for await (const line of lines) {
      if (line.startsWith("[")) {
        around = JSON.parse(line) as [string, string, string];
        continue;
      }
      while (left === 0) left = kinds[++k]![1];
      left--;
      const held = kinds[k]![0];
      yield new HeldRecord(names.get(held) ?? held, line, recordKindOf(held), around);
      around = undefined;
    }
  }

  /** Removes the temporary file. */
  async dispose(): Promise<void> {
    await this.#file?.close().catch(() => undefined);
    this.#file = undefined;
    await this.#dir?.dispose();
    this.#dir = undefined;
  }

  #path(): string {
    return join(this.#dir!.dir, "held.ndjson");
  }

  async #write(): Promise<void> {
    if (this.#pending.length === 0) return;
    const text = this.#pending.join("");
    this.#pending = [];
    this.#pendingChars = 0;
    try {
      if (this.#file === undefined) {
        this.#dir = await privateTempDir("resonant-held-");
        this.#file = await open(this.#path(), "wx", 0o600);
      }
      await this.#file.write(text);
    } catch (error) {
      throw fileError("the temporary file for kinds resonant does not know", this.#dir?.dir ?? "in TMPDIR", error);
    }
  }
}

/**
 * A held record read back: its line is its text as it came (or as written from its value), which goes on as it
 * is; its value is parsed only when asked for (an export writes the text and never asks).
 */
class HeldRecord implements LiveRecord {
  readonly kind: string;
  readonly text: string;
  readonly recordKind?: string;
  readonly around?: LiveRecord["around"];
  readonly extra?: string;
  #data: Record<string, unknown> | undefined;

  constructor(kind: string, text: string, recordKind: string | undefined, around?: [string, string, string]) {
    this.kind = kind;
    this.text = text;
    if (recordKind !== undefined) this.recordKind = recordKind;
    if (around !== undefined) [this.around, this.extra] = [[around[0], around[1]], around[2]];
  }

  get data(): Record<string, unknown> {
    this.#data ??= JSON.parse(this.text) as Record<string, unknown>;
    return this.#data;
  }
}

/** The lines of the file at `path`, cut at each newline alone (readline would cut at a CR too, which JSON may hold as a space). */
async function* linesOf(path: string): AsyncGenerator<string> {
  let carry: Buffer[] = [];
  for await (const chunk of createReadStream(path, { highWaterMark: WRITE_AT }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      if (carry.length === 0) yield chunk.toString("utf8", start, nl);
      else {
        carry.push(chunk.subarray(start, nl));
        yield Buffer.concat(carry).toString("utf8");
        carry = [];
      }
      start = nl + 1;
    }
    if (start < chunk.length) carry.push(chunk.subarray(start));
  }
}
