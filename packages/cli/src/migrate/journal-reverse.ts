/**
 * A journal's op lines read last first, for `down` without a `down()`,
 * without holding the ops: a forward pass keeps only where each chosen op
 * line lies in the file (two numbers an op), then the lines are read back
 * from the end a window at a time. A journal of 100,000 updates holds each
 * object's before-image; holding them all was most of a reversal's memory.
 * @module
 */
import { open } from "node:fs/promises";
import type { JournalEntry, OpEntry } from "./journal.js";

const CHUNK = 256 * 1024;
/** Bytes read back at once (a window holds at least one line, however long). */
const WINDOW = 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * The op lines of the journal at `path` (up to its `planned` line) that
 * `keep` accepts, last first. `keep` sees every op in file order first (so a
 * caller can note what later ops need, such as the real ids of creates). A
 * line cut by a crash ends the journal, as when it is read forward.
 */
export async function* journalOpsReversed(path: string, keep: (entry: OpEntry) => boolean): AsyncGenerator<OpEntry> {
  const handle = await open(path, "r");
  try {
    const starts: number[] = [];
    const ends: number[] = [];
    // Forward: the byte range of each kept op line.
    const buf = Buffer.allocUnsafe(CHUNK);
    let pending: Buffer[] = [];
    let lineStart = 0;
    let pos = 0;
    scan: for (;;) {
      const { bytesRead } = await handle.read(buf, 0, CHUNK, pos);
      if (bytesRead === 0) break;
      let from = 0;
      for (;;) {
        const nl = buf.indexOf(NEWLINE, from);
        if (nl < 0 || nl >= bytesRead) {
          pending.push(Buffer.from(buf.subarray(from, bytesRead)));
          break;
        }
        const line = pending.length > 0 ? Buffer.concat([...pending, buf.subarray(from, nl)]) : buf.subarray(from, nl);
        pending = [];
        const lineEnd = pos + nl;
        from = nl + 1;
        const start = lineStart;
        lineStart = lineEnd + 1;
        if (line.length === 0) continue;
        let entry: JournalEntry;
        try {
          entry = JSON.parse(line.toString("utf8")) as JournalEntry;
        } catch {
          break scan; // the torn tail of a killed run
        }
        if (entry.t === "planned") break scan;
        if (entry.t === "op" && keep(entry)) {
          starts.push(start);
          ends.push(lineEnd);
        }
      }
      pos += bytesRead;
    }
    // Backward: windows of whole lines, from the last kept one.
    for (let last = starts.length - 1; last >= 0; ) {
      let first = last;
      while (first > 0 && ends[last]! - starts[first - 1]! <= WINDOW) first--;
      const base = starts[first]!;
      const window = Buffer.allocUnsafe(ends[last]! - base);
      for (let done = 0; done < window.length; ) {
        const { bytesRead } = await handle.read(window, done, window.length - done, base + done);
        if (bytesRead === 0) throw new Error(`${path}: the journal got shorter while it was read`);
        done += bytesRead;
      }
      for (let i = last; i >= first; i--)
        yield JSON.parse(window.toString("utf8", starts[i]! - base, ends[i]! - base)) as OpEntry;
      last = first - 1;
    }
  } finally {
    await handle.close();
  }
}
