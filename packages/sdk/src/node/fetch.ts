/**
 * A fetch-compatible function over node:http(s) with keep-alive agents: the
 * Node default transport. Node's global fetch (undici) costs about twice a
 * pooled node:http round trip per call, and under 64 calls in flight it
 * queues; a plain agent with keep-alive and no socket cap does neither.
 * A call that asked for a stream (`Accept` SSE or NDJSON), or an answer that
 * is one, gets its body as a stream; any other answer is read whole before
 * the promise resolves, which saves a web-stream adapter per call and, above
 * all, puts the body inside the attempt: its timeout bounds the last byte,
 * and a body cut mid-way rejects like a reset connection, so the transport's
 * retry sees it.
 * @module
 */
// Default imports, called at request time: test tools (MSW, nock) patch
// `http.request` on the module object, which named imports would not see.
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { TimeoutError } from "ky";
import { acceptsStream, cutBodyError as cutBody } from "../internal/byte-stream.js";
import { TIMEOUT_INIT_KEY, type TimeoutAwareFetch } from "../internal/platform.js";
import { announcedTooLarge, answerTooLargeError, MAX_WHOLE_ANSWER_BYTES } from "../internal/transport.js";

const NO_BODY_STATUSES = new Set([101, 204, 205, 304]);

function toHeaders(message: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = message.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

function readWhole(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Past the cap the socket is destroyed: an endless body fails the call at once, not at its timeout.
    // Rejected before the destroy, whose `aborted` would otherwise reject first, as a cut (and retried).
    const tooLarge = (announced?: number) => {
      reject(answerTooLargeError(announced));
      message.destroy();
    };
    const announced = announcedTooLarge(message.headers["content-length"]);
    if (announced !== undefined) return tooLarge(announced);
    const chunks: Buffer[] = [];
    let size = 0;
    message.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_WHOLE_ANSWER_BYTES) tooLarge();
      else chunks.push(chunk);
    });
    message.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    message.once("error", (error) => reject(cutBody(error)));
    message.once("aborted", () => reject(cutBody("aborted")));
    // A socket closed before the body's end, with neither event (seen on some Node versions).
    message.once("close", () => {
      if (!message.complete) reject(cutBody("closed"));
    });
  });
}

/**
 * A Response over a body already read whole: `text()`, `json()` and
 * `arrayBuffer()` answer from the buffer, and a web stream is made only if
 * someone asks for `body`. Building a stream per small JSON answer was a
 * measurable share of every call.
 */
function bufferedResponse(buffer: Buffer, init: ResponseInit): Response {
  const response = new Response(null, init);
  let used = false;
  const take = (): Buffer => {
    if (used) throw new TypeError("Body is unusable: Body has already been read");
    used = true;
    return buffer;
  };
  let stream: ReadableStream<Uint8Array> | undefined;
  Object.defineProperties(response, {
    text: { value: async () => take().toString("utf8") },
    json: { value: async () => JSON.parse(take().toString("utf8")) as unknown },
    arrayBuffer: { value: async () => new Uint8Array(take()).buffer },
    bytes: { value: async () => new Uint8Array(take()) },
    bodyUsed: { get: () => used },
    body: {
      get: () =>
        // The bytes are taken at the first read, not here: looking at `body` is not reading it.
        (stream ??= new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(new Uint8Array(take()));
            controller.close();
          },
        })),
    },
    clone: { value: () => bufferedResponse(Buffer.from(buffer), init) },
  });
  return response;
}

/**
 * A web stream over a response body that pauses the socket while the reader
 * is behind, so a consumer of a huge export holds a bounded buffer however
 * fast the server sends (Node 20's `Readable.toWeb` buffers ahead of a slow reader).
 */
function toWebStream(message: IncomingMessage): ReadableStream<Uint8Array> {
  let settled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // Once the reader cancelled or the stream settled, late socket events must not touch it.
        const settle = (action: () => void) => {
          if (settled) return;
          settled = true;
          action();
        };
        message.on("data", (chunk: Buffer) => {
          if (settled) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) message.pause();
        });
        message.once("end", () => settle(() => controller.close()));
        message.once("error", (error) => settle(() => controller.error(cutBody(error))));
        message.once("aborted", () => settle(() => controller.error(cutBody("aborted"))));
        message.once("close", () => {
          if (!message.complete) settle(() => controller.error(cutBody("closed")));
        });
      },
      pull() {
        message.resume();
      },
      cancel() {
        settled = true;
        message.destroy();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 256 * 1024 }),
  );
}

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /** Keep sockets open between calls. Default true. */
  keepAlive?: boolean;
  /** The most sockets per host. Default: no cap, as bursts of parallel calls want. */
  maxSockets?: number;
}

/**
 * Make a fetch over node:http and node:https with keep-alive agents.
 *
 * @example
 * ```ts
 * const client = new ResonantClient({ fetch: createNodeFetch({ maxSockets: 16 }) });
 * ```
 */
export function createNodeFetch(options: NodeFetchOptions = {}): TimeoutAwareFetch {
  const agentOptions = {
    keepAlive: options.keepAlive ?? true,
    maxSockets: options.maxSockets ?? Infinity,
    scheduling: "lifo" as const,
  };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  const nodeFetch = async function nodeFetch(input: Request, init?: RequestInit): Promise<Response> {
    // ky passes its leftover options as `init`: our timeout, and rarely anything else.
    const { [TIMEOUT_INIT_KEY]: timeoutMs, ...rest } = (init ?? {}) as RequestInit & { [TIMEOUT_INIT_KEY]?: number };
    const request = Object.keys(rest).length > 0 ? new Request(input, rest) : input;
    const signal = request.signal;
    signal?.throwIfAborted();
    const url = new URL(request.url);
    const secure = url.protocol === "https:";
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    if (body !== undefined) headers["content-length"] = String(body.length);

    return new Promise<Response>((resolve, reject) => {
      const req = (secure ? https : http).request(url, {
        method: request.method,
        headers,
        agent: secure ? httpsAgent : httpAgent,
      });
      // Destroyed without an error: the abort reason reaches the caller through the signal, and an
      // error here would surface again, unhandled, from stream adapters that already closed.
      const onAbort = () => req.destroy();
      signal?.addEventListener("abort", onAbort, { once: true });
      // One timer per attempt: until the last byte of a body read whole, until the head of a
      // stream (whose stalls the caller's idle timeout catches). A TimeoutError of ky's, so
      // ky's retry and our error mapping treat it as theirs.
      let timedOut = false;
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              req.destroy();
            }, timeoutMs);
      const stopTimer = () => clearTimeout(timer);
      const done = () => signal?.removeEventListener("abort", onAbort);
      // Why an attempt failed, in the order that matters: the caller's abort, our timeout, the network.
      const failure = (error: unknown) =>
        signal?.aborted ? signal.reason : timedOut ? new TimeoutError(request) : error;

      req.once("error", (error) => {
        stopTimer();
        done();
        reject(failure(new TypeError(`fetch failed: ${error.message}`, { cause: error })));
      });
      req.once("response", (message) => {
        const status = message.statusCode ?? 0;
        const init = { status, statusText: message.statusMessage ?? "", headers: toHeaders(message) };
        if (NO_BODY_STATUSES.has(status) || request.method === "HEAD") {
          stopTimer();
          message.resume();
          done();
          resolve(new Response(null, init));
          return;
        }
        // A stream when the call asked for one, or (for callers other than the SDK) the answer is one.
        if (!acceptsStream(request.headers.get("accept")) && !acceptsStream(message.headers["content-type"])) {
          readWhole(message).then(
            (buffer) => {
              stopTimer();
              done();
              resolve(bufferedResponse(buffer, init));
            },
            (error: unknown) => {
              stopTimer();
              done();
              reject(failure(error));
            },
          );
          return;
        }
        stopTimer();
        // The abort listener stays until the body ends: aborting mid-stream must still close the socket.
        message.once("close", done);
        resolve(new Response(toWebStream(message), init));
      });
      req.end(body);
    });
  };
  return Object.assign(nodeFetch, { handlesTimeout: true as const });
}
