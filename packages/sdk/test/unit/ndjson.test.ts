import { describe, expect, it, vi } from "vitest";
import { APIConnectionError, ResponseValidationError } from "../../src/core/errors.js";
import { parseNDJSON } from "../../src/internal/ndjson.js";
import { streamOf } from "./test-helpers.js";

// docs/protocol.md section 7's NDJSON export, with its ellipses replaced by real
// values so each line is JSON (and with multi-byte characters to cut through).
const LINES = [
  { kind: "tool", data: { id: "t1", object: "tool", name: "search" } },
  { kind: "agent", data: { id: "0b7c…", object: "agent", name: "triage ✓" } },
  { kind: "session", data: { id: "5d0c…", object: "session", steps: [] } },
  { kind: "end", counts: { tools: 1, agents: 1, teams: 0, sessions: 1, memories: 0, triggers: 0, webhooks: 0 } },
];
const TEXT = `${LINES.map((l) => JSON.stringify(l)).join("\n")}\n`;
const enc = new TextEncoder();

async function collect(chunks: Uint8Array[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const v of parseNDJSON(streamOf(chunks))) out.push(v);
  return out;
}

describe("parseNDJSON", () => {
  it("parses the export in one chunk", async () => {
    expect(await collect([enc.encode(TEXT)])).toEqual(LINES);
  });

  it("gives the same values split at every byte boundary, and byte by byte", async () => {
    const bytes = enc.encode(TEXT);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(await collect([bytes.slice(0, cut), bytes.slice(cut)]), `split at byte ${cut}`).toEqual(LINES);
    }
    expect(await collect(Array.from(bytes, (b) => Uint8Array.of(b)))).toEqual(LINES);
  });

  it("handles a last line without newline, CRLF, and blank lines", async () => {
    expect(await collect([enc.encode('\n{"a":1}\r\n\r\n  \n{"b":2}')])).toEqual([{ a: 1 }, { b: 2 }]);
    expect(await collect([enc.encode('1\n"x"\nnull')])).toEqual([1, "x", null]);
    expect(await collect([])).toEqual([]);
  });

  it("drops a byte order mark at the very start only, even split across chunks", async () => {
    const bom = Uint8Array.of(0xef, 0xbb, 0xbf);
    expect(await collect([bom.slice(0, 2), bom.slice(2), enc.encode('{"a":1}\n{"b":2}\n')])).toEqual([
      { a: 1 },
      { b: 2 },
    ]);
    // Past the start a BOM is text, which JSON does not allow, as a streaming decoder would have it.
    await expect(collect([enc.encode('{"a":1}\n'), bom, enc.encode('{"b":2}\n')])).rejects.toThrow(
      /line 2 is not valid JSON/,
    );
  });

  it("refuses bytes that are not UTF-8, naming the line, within and across chunks (never U+FFFD in their place)", async () => {
    const good = enc.encode('"ok"\n');
    const bad = Uint8Array.of(0x22, 0x61, 0xff, 0x62, 0xe2, 0x9c, 0x22, 0x0a); // "a\xffb\xe2\x9c"\n
    for (const chunks of [
      [good, bad],
      [good, bad.slice(0, 5), bad.slice(5)],
    ]) {
      const error = await collect(chunks).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseValidationError);
      expect((error as Error).message).toMatch(/NDJSON line 2 holds bytes that are not UTF-8/);
    }
  });

  it("keeps its own copy of a cut line, so a source may reuse its buffer", async () => {
    const buffer = new Uint8Array(4);
    const bytes = enc.encode('{"a":1}\n{"bb":[2,3]}\n"end"');
    async function* reusing(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += buffer.length) {
        const n = Math.min(buffer.length, bytes.length - i);
        buffer.set(bytes.subarray(i, i + n));
        yield buffer.subarray(0, n);
        buffer.fill(0x20);
      }
    }
    const out: unknown[] = [];
    for await (const v of parseNDJSON(reusing())) out.push(v);
    expect(out).toEqual([{ a: 1 }, { bb: [2, 3] }, "end"]);
  });

  it("refuses a stream that starts in gzip or zstd (a body fetch did not decode): an APIConnectionError", async () => {
    await expect(collect([new Uint8Array([0x1f, 0x8b, 0x08, 0x0a])])).rejects.toBeInstanceOf(APIConnectionError);
    await expect(collect([new Uint8Array(0), new Uint8Array([0x28, 0xb5, 0x2f, 0xfd])])).rejects.toThrow(
      /still compressed/,
    );
  });

  it("names the line that is not JSON", async () => {
    const run = collect([enc.encode('{"a":1}\n\n{"b":\n')]);
    await expect(run).rejects.toBeInstanceOf(ResponseValidationError);
    await expect(collect([enc.encode('{"a":1}\n\n{"b":\n')])).rejects.toThrow(/line 3\b/);
    await expect(collect([enc.encode('{"a":1}\n<html>')])).rejects.toThrow(/line 2 is not valid JSON.*<html>/);
  });

  it("takes a last line that starts as JSON but ends without its newline unparsed for a cut (a TypeError)", async () => {
    const run = collect([enc.encode('{"a":1}\n{"b":[1,')]);
    await expect(run).rejects.toBeInstanceOf(TypeError);
    await expect(collect([enc.encode('{"a":1}\n{"b":[1,')])).rejects.toThrow(
      /mid-body \(the stream ended inside line 2\)/,
    );
  });

  it("yields the good lines before the bad one", async () => {
    const seen: unknown[] = [];
    await expect(async () => {
      for await (const v of parseNDJSON(streamOf([enc.encode('{"a":1}\nnope\n{"c":3}\n')]))) seen.push(v);
    }).rejects.toThrow(/line 2/);
    expect(seen).toEqual([{ a: 1 }]);
  });

  it("cancels the stream when the consumer leaves early", async () => {
    const cancel = vi.fn();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(enc.encode(TEXT));
      },
      cancel,
    });
    for await (const _ of parseNDJSON(stream)) break;
    expect(cancel).toHaveBeenCalledOnce();
    expect(stream.locked).toBe(false);
  });

  it("keeps memory bounded by the longest line", async () => {
    // 20,000 records streamed in 1 KiB chunks; a quadratic or
    // accumulate-everything parser would be very slow here.
    const line = `${JSON.stringify({ kind: "memory", data: { content: "x".repeat(100) } })}\n`;
    const total = 20_000;
    const bytes = enc.encode(line.repeat(total));
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 1024) chunks.push(bytes.slice(i, i + 1024));
    let count = 0;
    for await (const _ of parseNDJSON(streamOf(chunks))) count++;
    expect(count).toBe(total);
  });
});
