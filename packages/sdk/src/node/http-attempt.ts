/**
 * The Node transport: one attempt over node:http(s) with keep-alive agents,
 * in plain objects (no Request, Response or Headers per call; stripe-node's
 * NodeHttpClient is the model). Node's fetch (undici) costs about twice a
 * pooled node:http round trip, and queues under 64 calls in flight; a plain
 * agent with keep-alive and no socket cap does neither. A whole answer is
 * read inside the attempt, so its timeout bounds the last byte and a body cut
 * mid-way fails like a reset connection, which the core retries. A body a
 * server compressed (gzip, deflate, br) is decoded as it arrives (decode.ts).
 * @module
 */
// Default imports, called at request time: test tools (MSW, nock) patch
// `http.request` on the module object, which named imports would not see.
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import type { Readable } from "node:stream";
import { announcedTooLarge, answerTooLargeError, MAX_WHOLE_ANSWER_BYTES } from "../internal/answer-cap.js";
import { cutBodyError as cutBody } from "../internal/byte-stream.js";
import {
  type Attempt,
  AttemptTimeout,
  type HeaderBag,
  NULL_BODY_STATUSES,
  PlainHeaders,
  streams,
  type WireAnswer,
} from "../internal/wire.js";
import { decodedBody, undecodable } from "./decode.js";

/** What an attempt of the Node transport told its observer: its answer's status and headers, or its failure. */
export type AttemptOutcome =
  | { method: string; url: string; status: number; headers: HeaderBag }
  | { method: string; url: string; error: unknown };

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /** Keep sockets open between calls. Default true. */
  keepAlive?: boolean;
  /** The most sockets per host. Default: no cap, as bursts of parallel calls want. */
  maxSockets?: number;
  /** Awaited before each attempt is sent (a retry is an attempt): to pace calls, for example. */
  beforeAttempt?: (attempt: { method: string; url: string }) => void | Promise<void>;
  /** Told how each attempt ended, before the client decides whether to retry it: to report retries, for example. */
  afterAttempt?: (outcome: AttemptOutcome) => void;
  /** The agent for `http:` URLs instead of the transport's own (a proxy's, say); `keepAlive` and `maxSockets` are then its. */
  httpAgent?: AgentLike | undefined;
  /** The agent for `https:` URLs instead of the transport's own (a proxy's, say); `keepAlive` and `maxSockets` are then its. */
  httpsAgent?: AgentLike | undefined;
}

/**
 * A node:http or node:https `Agent`, or one that extends it as proxy agents do. Typed by shape, so that
 * these declarations need no @types/node in an app that never imports node:http.
 */
export interface AgentLike {
  /** Closes the agent's sockets. */
  destroy(): void;
}

/** The Node transport's attempt (see the module comment). */
export function createNodeAttempt(options: NodeFetchOptions = {}): Attempt {
  const agentOptions = {
    keepAlive: options.keepAlive ?? true,
    maxSockets: options.maxSockets ?? Infinity,
    scheduling: "lifo" as const,
  };
  const httpAgent = (options.httpAgent as http.Agent | undefined) ?? new http.Agent(agentOptions);
  const httpsAgent = (options.httpsAgent as http.Agent | undefined) ?? new https.Agent(agentOptions);
  const { beforeAttempt, afterAttempt } = options;
  const attempt: Attempt = (request) =>
    new Promise<WireAnswer>((resolve, reject) => {
      const { signal } = request;
      if (signal?.aborted) return reject(signal.reason);
      const secure = request.url.startsWith("https:");
      const headers = request.headers;
      // Encoded once, on the request that a retry sends again: a spliced string (an import batch of records'
      // own text) was flattened for its length and again for the socket, each batch-sized copy living on,
      // promoted, until a full collection (a 1M-record copy peaked 40 MB higher).
      if (typeof request.body === "string") request.body = Buffer.from(request.body);
      if (request.body !== undefined) headers["content-length"] = String(request.body.byteLength);
      const req = (secure ? https : http).request(request.url, {
        method: request.method,
        headers,
        agent: secure ? httpsAgent : httpAgent,
      });
      // The decoded body, once the head named a coding: its last bytes may come after the socket's.
      let decoded: Readable | undefined;
      // Destroyed without an error: the abort reason reaches the caller through the signal, and an
      // error here would surface again, unhandled, from stream adapters that already closed. A decoder
      // still at work is stopped with one, which its reader (below) listens for.
      const onAbort = () => {
        req.destroy();
        decoded?.destroy(new Error("stopped"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      // One timer per attempt: until the last byte of a body read whole, until the head of a stream.
      let timedOut = false;
      const timer =
        request.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              onAbort();
            }, request.timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      // Why an attempt failed, in the order that matters: the caller's abort, our timeout, the network.
      const fail = (error: unknown) => {
        settle();
        reject(
          signal?.aborted
            ? signal.reason
            : timedOut
              ? new AttemptTimeout(`timed out after ${request.timeoutMs} ms`)
              : error,
        );
      };
      req.once("socket", guardSocket);
      // A TypeError, as fetch's network failures are (the transport retries those); worded as the socket's error,
      // since no fetch ran ("Connection error: connect ECONNREFUSED 127.0.0.1:1").
      req.once("error", (error) => fail(new TypeError(error.message, { cause: error })));
      req.once("response", (message) => {
        const status = message.statusCode ?? 0;
        const answer: WireAnswer = {
          status,
          statusText: message.statusMessage ?? "",
          headers: new PlainHeaders(message.headers),
        };
        if (NULL_BODY_STATUSES.has(status) || request.method === "HEAD") {
          settle();
          message.resume();
          return resolve(answer);
        }
        let body: Readable;
        try {
          body = decodedBody(message);
        } catch (error) {
          message.destroy();
          return fail(error);
        }
        if (body !== message) decoded = body;
        if (!streams(status, request, message.headers["content-type"])) {
          readWhole(message, body, request.maxBytes).then((whole) => {
            settle();
            answer.whole = whole;
            resolve(answer);
          }, fail);
          return;
        }
        clearTimeout(timer);
        // The abort listener stays until the body ends: aborting mid-stream must still close the socket.
        message.once("close", () => signal?.removeEventListener("abort", onAbort));
        // The timer is done; the decoder (if any) now lives as long as the stream and is closed with it.
        decoded = undefined;
        answer.stream = toWebStream(message, body);
        resolve(answer);
      });
      req.end(request.body);
    });
  if (beforeAttempt === undefined && afterAttempt === undefined) return attempt;
  return async (request) => {
    const { method, url } = request;
    await beforeAttempt?.({ method, url });
    try {
      const answer = await attempt(request);
      afterAttempt?.({ method, url, status: answer.status, headers: answer.headers });
      return answer;
    } catch (error) {
      afterAttempt?.({ method, url, error });
      throw error;
    }
  };
}

/** The sockets given {@link guardSocket}'s listener: a pooled socket serves many requests, and gets it once. */
const guarded = new WeakSet<Socket>();
const ignore = () => {};

/**
 * Gives a socket an 'error' listener of its own. A server may answer before it has read the body (a 413 past its
 * limit) and close the connection after: Node pools the socket once the body is handed to it, its last bytes still
 * on their way, and their EPIPE then came as an 'error' nobody listened for, which ended the process (`resonant
 * copy`, with a stack dump, after the batch's 413 was logged). While a request holds the socket, Node passes its
 * errors on to the request, which fails as before; a pooled socket's error only closes it.
 */
function guardSocket(socket: Socket): void {
  if (guarded.has(socket)) return;
  guarded.add(socket);
  socket.on("error", ignore);
}

/** A decoded body's failure: the socket's own failures are the message's, and reported as such first. */
function onDecodeError(message: IncomingMessage, body: Readable, fail: (error: TypeError) => void): void {
  if (body !== message) body.once("error", (error) => fail(undecodable(error, message.headers["content-encoding"])));
}

/** A whole answer's bytes, decoded (`body`, see decode.ts), at most `cap` of them. */
function readWhole(message: IncomingMessage, body: Readable, cap = MAX_WHOLE_ANSWER_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Past the cap the socket is destroyed: an endless body fails the call at once, not at its timeout.
    // Rejected before the destroy, whose `aborted` would otherwise reject first, as a cut (and retried).
    // The cap counts decoded bytes, so a small compressed body cannot inflate past it.
    const tooLarge = (announced?: number) => {
      reject(answerTooLargeError(announced, cap));
      message.destroy();
      body.destroy();
    };
    const announced = announcedTooLarge(message.headers["content-length"], cap);
    if (announced !== undefined) return tooLarge(announced);
    const chunks: Buffer[] = [];
    let size = 0;
    body.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) tooLarge();
      else chunks.push(chunk);
    });
    body.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    onDecodeError(message, body, reject);
    message.once("error", (error) => reject(cutBody(error)));
    message.once("aborted", () => reject(cutBody("aborted")));
    // A socket closed before the body's end, with neither event (seen on some Node versions).
    message.once("close", () => {
      if (!message.complete) reject(cutBody("closed"));
    });
  });
}

/**
 * A web stream over a response body that pauses the socket while the reader
 * is behind, so a consumer of a huge export holds a bounded buffer however
 * fast the server sends (Node 20's `Readable.toWeb` buffers ahead of a slow reader).
 */
function toWebStream(message: IncomingMessage, body: Readable): ReadableStream<Uint8Array> {
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
        body.on("data", (chunk: Buffer) => {
          if (settled) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) body.pause();
        });
        body.once("end", () => settle(() => controller.close()));
        onDecodeError(message, body, (error) => settle(() => controller.error(error)));
        message.once("error", (error) => settle(() => controller.error(cutBody(error))));
        message.once("aborted", () => settle(() => controller.error(cutBody("aborted"))));
        message.once("close", () => {
          if (!message.complete) settle(() => controller.error(cutBody("closed")));
        });
      },
      pull() {
        body.resume();
      },
      cancel() {
        settled = true;
        message.destroy();
        body.destroy();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 256 * 1024 }),
  );
}
