/**
 * `createNodeFetch`: the Node transport (http-attempt.ts) as a
 * fetch-compatible function, for a client that wants its options (a socket
 * cap, an observer) and for other libraries. A client given it sends through
 * the attempt directly, without building a Request or Response per call.
 * @module
 */
import { acceptsStream } from "../internal/byte-stream.js";
import { ATTEMPT, type Attempt, toHeaders } from "../internal/wire.js";
import { createNodeAttempt, type NodeFetchOptions } from "./http-attempt.js";

export type { AttemptOutcome, NodeFetchOptions } from "./http-attempt.js";

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

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
    const answer = await attempt({
      method: request.method,
      url: request.url,
      headers,
      body,
      signal: request.signal,
      stream: acceptsStream(headers.accept),
    });
    const { status, statusText } = answer;
    const payload = NULL_BODY_STATUSES.has(status) ? null : (answer.stream ?? answer.whole ?? null);
    return new Response(payload as BodyInit | null, { status, statusText, headers: toHeaders(answer.headers) });
  };
  return Object.assign(nodeFetch, { [ATTEMPT]: attempt });
}
