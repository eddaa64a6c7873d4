/**
 * Fault knobs for tests: latency, failing statuses, dropped connections,
 * malformed or wrong-schema bodies and cut event streams, optionally scoped to
 * a method and path pattern. `set` keeps a fault until `reset`; `once` applies
 * it to the next `times` (default 1) matching requests.
 * @module
 */
import { ERROR_CODE_STATUS } from "@resonantgenesis/schemas/error-codes";

/** One fault. Every field is optional; several can combine (latency plus a status). */
export interface Fault {
  /** Waits this long before answering. */
  latencyMs?: number;
  /** Answers this status (500, 502, 503, 504, 408, 429...; 400 to 599) as the mock's own error of it: the version's form, its headers. */
  status?: number;
  /** Retry-After seconds sent with `status` (default 1 for 429 and 503). */
  retryAfter?: number;
  /** Drops the connection: `api.fetch` rejects with a TypeError (MSW: network error; server: socket destroyed). */
  drop?: boolean;
  /** Answers 200 with a body that is not valid JSON. */
  malformedJson?: boolean;
  /** Answers 200 with valid JSON that fails the version's schema. */
  wrongSchema?: boolean;
  /** Cuts an event stream (SSE or NDJSON) after this many events/lines (0: before the first). */
  cutStreamAfter?: number;
  /**
   * Rewrites the text of a 2xx JSON answer (not a stream): plays a server that sends what the mock cannot store,
   * such as an integer beyond 2^53 or a key written twice. Receives the text and the request.
   */
  rewrite?: (text: string, request: Request) => string;
  /**
   * Rewrites each line of a 2xx NDJSON stream, without its newline: plays a server that sends what the mock
   * would not, such as one object twice. What it answers is sent followed by a newline, so an answer holding a
   * newline sends several lines; an empty answer drops the line. Receives the line and the request.
   */
  rewriteLines?: (line: string, request: Request) => string;
  /** Only requests with this method (case-insensitive). */
  method?: string;
  /**
   * Only requests whose path matches: a RegExp, or a string where `*` matches
   * one path segment and `**` anything. Matched against the path below the
   * version prefix (`/agents/123`) and against the full path (`/api/v1.2/agents/123`).
   */
  path?: string | RegExp;
  /** For `once`: how many matching requests it applies to (default 1). */
  times?: number;
}

/** The fault knobs of a mock API. */
export interface Faults {
  /** Applies `fault` to every matching request until `reset`. Replaces an earlier `set`. */
  set(fault: Fault): void;
  /** Applies `fault` to the next `fault.times ?? 1` matching requests; queued after earlier `once` faults. */
  once(fault: Fault): void;
  /** Removes every fault. */
  reset(): void;
}

/** Thrown by `api.fetch` for a dropped connection; a TypeError like `fetch`'s own network errors. */
export class MockNetworkError extends TypeError {
  /** Marks the error as a deliberate drop, for adapters (MSW, the server). */
  readonly mockDrop = true;
  constructor() {
    super("fetch failed: the mock dropped the connection");
    this.name = "TypeError";
  }
}

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .split("**")
    .map((part) =>
      part
        .split("*")
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^/]*"),
    )
    .join(".*");
  return new RegExp(`^${escaped}/?$`);
}

function matches(fault: Fault, method: string, path: string, fullPath: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  if (fault.path === undefined) return true;
  const re = typeof fault.path === "string" ? patternToRegExp(fault.path) : fault.path;
  return re.test(path) || re.test(fullPath);
}

// Refused when set, where the test names it, rather than as the mock's own 500 (a 204 cannot carry the error body)
// or a success that carries one (a 200) when a request meets it.
function checked(fault: Fault): Fault {
  const { status } = fault;
  if (status !== undefined && !(Number.isInteger(status) && status >= 400 && status <= 599))
    throw new RangeError(`fault.status must be an error status, an integer from 400 to 599; got ${String(status)}`);
  return { ...fault };
}

/** Holds the active faults and picks the one for a request. */
export class FaultState implements Faults {
  private persistent: Fault | undefined;
  private queue: { fault: Fault; left: number }[] = [];

  set = (fault: Fault): void => {
    this.persistent = checked(fault);
  };

  once = (fault: Fault): void => {
    this.queue.push({ fault: checked(fault), left: Math.max(1, fault.times ?? 1) });
  };

  reset = (): void => {
    this.persistent = undefined;
    this.queue = [];
  };

  /** The fault for this request (a matching `once` first, consumed; else the `set` one), or undefined. */
  take(method: string, path: string, fullPath: string): Fault | undefined {
    const index = this.queue.findIndex((q) => matches(q.fault, method, path, fullPath));
    if (index !== -1) {
      const entry = this.queue[index]!;
      entry.left -= 1;
      if (entry.left <= 0) this.queue.splice(index, 1);
      return entry.fault;
    }
    if (this.persistent && matches(this.persistent, method, path, fullPath)) return this.persistent;
    return undefined;
  }
}

/** Passes each line of an NDJSON body (without its newline) through `rewrite`, streaming. */
export function rewriteLines(
  body: ReadableStream<Uint8Array>,
  rewrite: (line: string) => string,
): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = "";
  const out = (lines: string[]) =>
    lines
      .map(rewrite)
      .filter((line) => line !== "")
      .map((line) => `${line}\n`)
      .join("");
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        buffer += decoder.decode(chunk, { stream: true });
        const lines = buffer.split("\n");
        buffer = lines.pop()!;
        const text = out(lines);
        if (text) controller.enqueue(encoder.encode(text));
      },
      flush(controller) {
        buffer += decoder.decode();
        const text = buffer === "" ? "" : out([buffer]);
        if (text) controller.enqueue(encoder.encode(text));
      },
    }),
  );
}

/** The first code docs/protocol.md section 3 lists under each status: what an injected fault of that status says. */
const SECTION_3_CODE: Readonly<Record<number, string>> = (() => {
  const first: Record<number, string> = {};
  for (const [code, status] of Object.entries(ERROR_CODE_STATUS)) first[status] ??= code;
  return first;
})();

/**
 * The code a fault status stands for, in the error body: section 3's code for its status, so a test that
 * injects a 404 sees `not_found`, never a 400's code. Of the statuses section 3 does not list, a 504 (a gateway's
 * timeout) gets 502's `upstream_error`, the code the SDK gives a 504 that carries none; others get codes of their own.
 */
export function faultCode(status: number): string {
  const listed = SECTION_3_CODE[status];
  if (listed !== undefined) return listed;
  if (status === 408) return "request_timeout";
  if (status === 504) return "upstream_error";
  return status >= 500 ? "internal_error" : "invalid_parameter";
}

/**
 * Wraps a streamed body so that it ends after `events` events: SSE blocks
 * (separated by a blank line, comments not counted) or NDJSON lines.
 */
export function cutStream(
  body: ReadableStream<Uint8Array>,
  events: number,
  ndjson: boolean,
): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let seen = 0;
  let buffer = "";
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Cut before the first event: nothing at all is sent (the loop below sends at least the block it counts).
      if (events <= 0) {
        await reader.cancel().catch(() => undefined);
        controller.close();
        return;
      }
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      buffer += decoder.decode(value, { stream: true });
      const separator = ndjson ? "\n" : "\n\n";
      let out = "";
      let at: number;
      while ((at = buffer.indexOf(separator)) !== -1) {
        const block = buffer.slice(0, at + separator.length);
        buffer = buffer.slice(at + separator.length);
        out += block;
        const isEvent = ndjson ? block.trim() !== "" : block.split("\n").some((line) => line.startsWith("data:"));
        if (isEvent) seen += 1;
        if (seen >= events) {
          if (out) controller.enqueue(encoder.encode(out));
          await reader.cancel().catch(() => undefined);
          // A clean end without the rest: what a client sees when a proxy closes a stream
          // mid-way; it must notice the missing `done` / `end` line itself.
          controller.close();
          return;
        }
      }
      if (out) controller.enqueue(encoder.encode(out));
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
