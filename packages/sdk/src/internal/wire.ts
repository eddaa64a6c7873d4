/**
 * One attempt on the wire, as the core hands it to a transport and gets it
 * back: plain objects, no Request, Response or Headers. The core (transport.ts)
 * decides everything else (the URL, headers, retries, their waits, errors);
 * a transport only sends and reads, so every transport behaves the same.
 * @module
 */
import { acceptsStream } from "./byte-stream.js";

/** What the core asks a transport to send. */
export interface WireRequest {
  method: string;
  /** The whole URL, query included. */
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string | Uint8Array | undefined;
  /** Milliseconds this attempt may take: up to the last byte of a whole answer, up to the head of a stream. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** The caller reads the answer as a stream (SSE, NDJSON): hand the body over unread. */
  stream: boolean;
  /** The most bytes of a whole answer (default 64 MiB, answer-cap.ts); past it the attempt fails, not retried. */
  maxBytes?: number | undefined;
}

/** Statuses whose answer has no body (a Response with one cannot even be built). */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 204, 205, 304]);

/** Reads a header by name, any case: `Headers` is one, a transport's plain record (see {@link PlainHeaders}) another. */
export interface HeaderBag {
  get(name: string): string | null;
}

/** What a transport answers: a whole body in bytes, or (a successful stream) the body unread. */
export interface WireAnswer {
  status: number;
  statusText: string;
  headers: HeaderBag;
  whole?: Uint8Array | undefined;
  stream?: ReadableStream<Uint8Array> | undefined;
}

/**
 * One attempt. It rejects with a TypeError for a network failure (a reset, a
 * body cut mid-way: worth another attempt), an {@link AttemptTimeout} when
 * `timeoutMs` passed, the signal's reason on an abort, or a ResonantError
 * that no retry can change (an answer past the size cap).
 */
export type Attempt = (request: WireRequest) => Promise<WireAnswer>;

/**
 * Where `createNodeFetch` keeps the attempt it wraps, so a client given that
 * fetch sends through the attempt itself, without a Request or Response per call.
 */
export const ATTEMPT: unique symbol = Symbol.for("resonantgenesis.attempt") as never;

/** Whether an answer is handed over as a stream: a successful one the caller asked to stream, or that says it is one. */
export function streams(status: number, request: WireRequest, contentType: string | null | undefined): boolean {
  return status >= 200 && status < 300 && (request.stream || acceptsStream(contentType));
}

/** An attempt ran past its `timeoutMs`; the core makes it an APITimeoutError (after its retries). */
export class AttemptTimeout extends Error {
  override name = "AttemptTimeout";
}

/** A Node-style header record (lower-case names, repeated ones as arrays) read like `Headers`. */
export class PlainHeaders implements HeaderBag {
  /** @param record - Lower-case names, as node:http gives them. */
  constructor(readonly record: Readonly<Record<string, string | string[] | undefined>>) {}

  get(name: string): string | null {
    const value = this.record[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }

  /** The same headers as a `Headers` (made only when a Response or an error needs one). */
  toHeaders(): Headers {
    const headers = new Headers();
    for (const [name, value] of Object.entries(this.record)) {
      if (Array.isArray(value)) for (const one of value) headers.append(name, one);
      else if (value !== undefined) headers.append(name, value);
    }
    return headers;
  }
}

/** A header bag as `Headers`. */
export function toHeaders(bag: HeaderBag): Headers {
  return bag instanceof PlainHeaders ? bag.toHeaders() : (bag as Headers);
}
