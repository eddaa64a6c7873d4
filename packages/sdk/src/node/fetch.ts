/**
 * `createNodeFetch`: the Node transport (http-attempt.ts) as a
 * fetch-compatible function, for a client that wants its options (a socket
 * cap, an observer) and for other libraries. A client given it sends through
 * the attempt directly, without building a Request or Response per call.
 * @module
 */
import { Answer } from "../internal/answer.js";
import { acceptsStream } from "../internal/byte-stream.js";
import { ATTEMPT, type Attempt } from "../internal/wire.js";
import { createNodeAttempt, type NodeFetchOptions } from "./http-attempt.js";

export type { AgentLike, AttemptOutcome, NodeFetchOptions } from "./http-attempt.js";

/** A fetch over node:http(s) that a client recognises and sends through without fetch's objects. */
export type NodeFetch = ((input: Request, init?: RequestInit) => Promise<Response>) & { readonly [ATTEMPT]: Attempt };

/**
 * Make a fetch over node:http and node:https with keep-alive agents: the SDK's
 * default transport on Node, with options.
 *
 * @example
 * ```ts
 * const client = new ResonantClient({ fetch: createNodeFetch({ maxSockets: 16 }) });
 * ```
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const attempt = createNodeAttempt(options);
  const nodeFetch = async (input: Request, init?: RequestInit): Promise<Response> => {
    const request = init === undefined ? input : new Request(input, init);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
    const wire = await attempt({
      method: request.method,
      url: request.url,
      headers,
      body,
      signal: request.signal,
      stream: acceptsStream(headers.accept),
    });
    return new Answer(wire).response;
  };
  return Object.assign(nodeFetch, { [ATTEMPT]: attempt });
}
