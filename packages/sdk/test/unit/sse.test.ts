import { describe, expect, it, vi } from "vitest";
import { APIConnectionError } from "../../src/core/errors.js";
import { parseSSE, type ServerSentEvent } from "../../src/internal/sse.js";
import { streamOf } from "./test-helpers.js";

// docs/protocol.md section 7, byte for byte (the ellipses are multi-byte UTF-8,
// which the split tests cut through).
const WIRE = [
  ": ping",
  "",
  "id: 1",
  "event: session",
  'data: {"id":"5d0c…","object":"session","agent_id":"0b7c…","goal":"greet","status":"running",…}',
  "",
  "id: 2",
  "event: step",
  'data: {"id":"…","object":"step","session_id":"5d0c…","step_number":1,"action":"respond","status":"running",…}',
  "",
  "id: 3",
  "event: message",
  'data: {"delta":"hello "}',
  "",
  "id: 4",
  "event: message",
  'data: {"delta":"world"}',
  "",
  "id: 5",
  "event: done",
  'data: {"id":"5d0c…","object":"session","status":"completed","result":"hello world",…}',
  "",
  "",
].join("\n");

const EXPECTED: ServerSentEvent[] = [
  {
    id: "1",
    event: "session",
    data: '{"id":"5d0c…","object":"session","agent_id":"0b7c…","goal":"greet","status":"running",…}',
  },
  {
    id: "2",
    event: "step",
    data: '{"id":"…","object":"step","session_id":"5d0c…","step_number":1,"action":"respond","status":"running",…}',
  },
  { id: "3", event: "message", data: '{"delta":"hello "}' },
  { id: "4", event: "message", data: '{"delta":"world"}' },
  { id: "5", event: "done", data: '{"id":"5d0c…","object":"session","status":"completed","result":"hello world",…}' },
];

const enc = new TextEncoder();

function splitAt(bytes: Uint8Array, ...cuts: number[]): Uint8Array[] {
  const points = [0, ...cuts, bytes.length];
  return points.slice(1).map((end, i) => bytes.slice(points[i], end));
}

async function collect(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): Promise<ServerSentEvent[]> {
  const out: ServerSentEvent[] = [];
  for await (const e of parseSSE(source)) out.push(e);
  return out;
}

const parseText = (text: string) => collect(streamOf([enc.encode(text)]));

describe("parseSSE on the stream of docs/protocol.md", () => {
  const variants = {
    LF: WIRE,
    CRLF: WIRE.replace(/\n/g, "\r\n"),
    CR: WIRE.replace(/\n/g, "\r"),
  };

  for (const [name, text] of Object.entries(variants)) {
    const bytes = enc.encode(text);

    it(`${name}: parses it in one chunk`, async () => {
      expect(await collect(streamOf([bytes]))).toEqual(EXPECTED);
    });

    it(`${name}: gives the same events split at every byte boundary`, async () => {
      for (let cut = 0; cut <= bytes.length; cut++) {
        expect(await collect(streamOf(splitAt(bytes, cut))), `split at byte ${cut}`).toEqual(EXPECTED);
      }
    });

    it(`${name}: gives the same events one byte at a time`, async () => {
      const chunks = Array.from(bytes, (b) => Uint8Array.of(b));
      expect(await collect(streamOf(chunks))).toEqual(EXPECTED);
    });

    it(`${name}: gives the same events split at every pair of boundaries near line ends`, async () => {
      // Every pair of cuts would be O(n^2) runs; pairs around each line break
      // cover the CR/LF and multi-byte cases where two cuts interact.
      const breaks = [...bytes.keys()].filter((i) => bytes[i] === 10 || bytes[i] === 13 || bytes[i]! >= 0x80);
      for (const b of breaks) {
        for (let d = 1; d <= 3; d++) {
          const cuts = [b, b + d].filter((c) => c > 0 && c < bytes.length);
          expect(await collect(streamOf(splitAt(bytes, ...cuts)))).toEqual(EXPECTED);
        }
      }
    });
  }

  it("accepts an async iterable", async () => {
    async function* gen() {
      for (const c of splitAt(enc.encode(WIRE), 5, 50, 51, 52, 300)) yield c;
    }
    expect(await collect(gen())).toEqual(EXPECTED);
  });
});

describe("parseSSE refuses a body fetch did not decode", () => {
  it.each([
    ["gzip", [0x1f, 0x8b, 0x08, 0x00]],
    ["zstd", [0x28, 0xb5, 0x2f, 0xfd]],
  ])("a stream that starts in %s (after an empty chunk) is an APIConnectionError, not text", async (_coding, first) => {
    const run = collect(streamOf([new Uint8Array(0), new Uint8Array([...first, 0x0a, 0x0a])]));
    await expect(run).rejects.toBeInstanceOf(APIConnectionError);
    await expect(collect(streamOf([new Uint8Array(first)]))).rejects.toThrow(/still compressed \(gzip or zstd\)/);
  });
});

describe("parseSSE follows the WHATWG rules", () => {
  it("joins multi-line data with newlines", async () => {
    expect(await parseText("data: a\ndata:b\ndata\n\n")).toEqual([{ event: "message", data: "a\nb\n" }]);
  });

  it("dispatches a field without colon as an empty data line", async () => {
    expect(await parseText("data\n\n")).toEqual([{ event: "message", data: "" }]);
  });

  it("strips exactly one leading space", async () => {
    expect(await parseText("data:  two\n\n")).toEqual([{ event: "message", data: " two" }]);
    expect(await parseText("data:none\n\n")).toEqual([{ event: "message", data: "none" }]);
  });

  it("ignores comments, unknown fields, and blocks without data", async () => {
    expect(await parseText(": hi\nfoo: bar\nevent: x\n\n:only a comment\n\ndata: y\n\n")).toEqual([
      { event: "message", data: "y" },
    ]);
  });

  it("keeps the last event id across events and ignores ids with NUL", async () => {
    const events = await parseText("id: 7\ndata: a\n\ndata: b\n\nid: bad\0\ndata: c\n\nid\ndata: d\n\n");
    expect(events.map((e) => e.id)).toEqual(["7", "7", "7", undefined]);
  });

  it("reports retry with digits only", async () => {
    const events = await parseText("retry: 3000\ndata: a\n\nretry: 1x\ndata: b\n\n");
    expect(events).toEqual([
      { event: "message", data: "a", retry: 3000 },
      { event: "message", data: "b" },
    ]);
  });

  it("resets the event type after each dispatch", async () => {
    const events = await parseText("event: step\ndata: 1\n\ndata: 2\n\n");
    expect(events.map((e) => e.event)).toEqual(["step", "message"]);
  });

  it("does not dispatch an unfinished event at the end", async () => {
    expect(await parseText("data: a\n\ndata: b\n")).toEqual([{ event: "message", data: "a" }]);
    expect(await parseText("data: a\n\ndata: b")).toEqual([{ event: "message", data: "a" }]);
  });

  it("drops a leading BOM", async () => {
    expect(
      await collect(streamOf([Uint8Array.of(0xef, 0xbb), Uint8Array.of(0xbf, ...enc.encode("data: x\n\n"))])),
    ).toEqual([{ event: "message", data: "x" }]);
  });

  it("treats CR then LF across chunks as one break, but CR CR as two", async () => {
    expect(await collect(streamOf([enc.encode("data: a\r"), enc.encode("\n\r\n")]))).toEqual([
      { event: "message", data: "a" },
    ]);
    expect(await collect(streamOf([enc.encode("data: a\r"), enc.encode("\rdata: b\r\r")]))).toEqual([
      { event: "message", data: "a" },
      { event: "message", data: "b" },
    ]);
  });
  it("keeps a CR and the LF after it one break when an empty chunk comes between them", async () => {
    // A transport or a decoder may hand on a chunk of no bytes; the LF still ends the CR's line, not one of its own.
    const chunks = [enc.encode("data: a\r"), new Uint8Array(0), enc.encode("\ndata: b\r\n\r\n")];
    expect(await collect(streamOf(chunks))).toEqual([{ event: "message", data: "a\nb" }]);
  });
});

describe("parseSSE cleans up", () => {
  it("cancels the stream and releases the lock when the consumer leaves early", async () => {
    const cancel = vi.fn();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(enc.encode("data: 1\n\ndata: 2\n\n"));
      },
      cancel,
    });
    for await (const event of parseSSE(stream)) {
      expect(event.data).toBe("1");
      break;
    }
    expect(cancel).toHaveBeenCalledOnce();
    expect(stream.locked).toBe(false);
  });

  it("releases the lock after a normal end", async () => {
    const stream = streamOf([enc.encode("data: 1\n\n")]);
    await collect(stream);
    expect(stream.locked).toBe(false);
  });

  it("passes stream errors on", async () => {
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // error() discards queued chunks, so fail only on the second pull.
        if (pulls++ === 0) controller.enqueue(enc.encode("data: 1\n\n"));
        else controller.error(new Error("connection reset"));
      },
    });
    const seen: string[] = [];
    await expect(async () => {
      for await (const e of parseSSE(stream)) seen.push(e.data);
    }).rejects.toThrow("connection reset");
    expect(seen).toEqual(["1"]);
    expect(stream.locked).toBe(false);
  });

  it("returns the async iterable's iterator on early exit", async () => {
    let finished = false;
    async function* gen() {
      try {
        yield enc.encode("data: 1\n\n");
        yield enc.encode("data: 2\n\n");
      } finally {
        finished = true;
      }
    }
    for await (const _ of parseSSE(gen())) break;
    expect(finished).toBe(true);
  });
});
