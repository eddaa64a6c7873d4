// A tiny server-sent events reader and NDJSON splitter for the contract tests
// (the SDK's parser is written elsewhere; the tests must not depend on it).

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: any;
  raw: string;
}

export interface SseRead {
  events: SseEvent[];
  comments: string[];
  /** True when the stream ended by itself (not stopped by `stopAfter`). */
  ended: boolean;
}

/**
 * A tiny server-sent events reader (WHATWG rules, enough for the tests):
 * blank-line separated blocks, `id:`/`event:`/`data:` fields, `:` comments.
 * `stopAfter` cancels the reader after that many events (a cut connection).
 */
export async function readSse(
  response: Response,
  opts: { stopAfter?: number; abort?: AbortController } = {},
): Promise<SseRead> {
  const out: SseRead = { events: [], comments: [], ended: false };
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const handleBlock = (block: string): void => {
    let id: string | undefined;
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line === "") continue;
      if (line.startsWith(":")) {
        out.comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "id") id = value;
      else if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (data.length === 0) return;
    const raw = data.join("\n");
    let parsed: any;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = raw;
    }
    out.events.push({ id, event, data: parsed, raw });
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        if (buffer.trim()) handleBlock(buffer);
        out.ended = true;
        return out;
      }
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        handleBlock(block);
        if (opts.stopAfter !== undefined && out.events.length >= opts.stopAfter) {
          opts.abort?.abort();
          await reader.cancel().catch(() => undefined);
          return out;
        }
      }
    }
  } catch (error) {
    if (opts.abort?.signal.aborted) return out;
    throw error;
  }
}

/** Reads an NDJSON body into parsed lines. */
export function ndjson(text: string): any[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}
