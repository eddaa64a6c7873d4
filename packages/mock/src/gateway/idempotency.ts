/**
 * Idempotency-Key on POST (docs/protocol.md section 2), the last stage before
 * the routes, and the store it keeps answers in. The first answer for an
 * account and key is kept for 24 hours of mock time (see {@link isKeepable});
 * a repeat of the same request gets it back with `Idempotent-Replayed: true`,
 * a repeat with another request gets 409 `idempotency_key_reused`.
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "../errors.js";
import { sessionEventStream } from "../routes/event-stream.js";
import type { GatewayEnv } from "./env.js";

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** The longest key accepted. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** A kept answer. `streamSessionId` marks a streamed session create, replayed as the session's stream. */
export interface StoredAnswer {
  status: number;
  headers: [string, string][];
  body: string;
  streamSessionId?: string;
  /** The X-Request-Id of the first request. */
  requestId?: string;
}

interface Entry {
  fingerprint: string;
  expiresAt: number;
  answer: StoredAnswer;
}

/** The outcome of looking a key up: run the request, replay a kept answer, or wait for the first request's. */
export type Lookup = { kind: "new" } | { kind: "replay"; answer: StoredAnswer } | { kind: "wait"; done: Promise<void> };

/** The 409 of a key repeated with another request (method, path, query or body). */
const reused = () =>
  new ApiError({
    status: 409,
    code: "idempotency_key_reused",
    message: "This Idempotency-Key was already used with a different request",
  });

/** The kept answers of every account. */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  /**
   * The keys whose first request is still being answered. A repeat that
   * arrives meanwhile (a client's retry after a timeout, a double submit) must
   * not run the request a second time: it waits for the first answer.
   */
  private readonly running = new Map<string, { fingerprint: string; done: Promise<void>; finish: () => void }>();

  constructor(private readonly now: () => number) {}

  /** Throws a 400 when the key is empty or too long. */
  static check(key: string): void {
    if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
      throw new ApiError({
        status: 400,
        code: "invalid_parameter",
        message: `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
        details: { header: "Idempotency-Key" },
      });
  }

  /**
   * Looks `key` up for `accountId`. The fingerprint covers method, version, path and
   * raw body, so the same key on another request is a reuse (409).
   */
  lookup(accountId: string, key: string, fingerprint: string): Lookup {
    const id = `${accountId}\u0000${key}`;
    const first = this.running.get(id);
    if (first) {
      if (first.fingerprint !== fingerprint) throw reused();
      return { kind: "wait", done: first.done };
    }
    const entry = this.entries.get(id);
    if (!entry || entry.expiresAt <= this.now()) {
      this.entries.delete(id);
      return { kind: "new" };
    }
    if (entry.fingerprint !== fingerprint) throw reused();
    return { kind: "replay", answer: entry.answer };
  }

  /**
   * Marks the key's first request as running, until the function it answers
   * is called. Call it right after a lookup that answered "new", with no await
   * between, so that two requests never both run.
   */
  begin(accountId: string, key: string, fingerprint: string): () => void {
    const id = `${accountId}\u0000${key}`;
    let finish = (): void => undefined;
    const done = new Promise<void>((resolve) => {
      finish = () => {
        this.running.delete(id);
        resolve();
      };
    });
    this.running.set(id, { fingerprint, done, finish });
    return finish;
  }

  /** Keeps the answer of a first request. */
  remember(accountId: string, key: string, fingerprint: string, answer: StoredAnswer): void {
    this.entries.set(`${accountId}\u0000${key}`, { fingerprint, expiresAt: this.now() + IDEMPOTENCY_TTL_MS, answer });
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
    // Requests waiting on a first one are let go (they run as new ones): a reset must not leave them hanging.
    for (const { finish } of [...this.running.values()]) finish();
  }
}

/**
 * Whether an answer should be kept: every first answer (docs/protocol.md
 * section 2, "keeps the first response for that key"), 4xx included, but not
 * server errors nor rate limits, so that a retry after them can still succeed.
 */
export function isKeepable(status: number): boolean {
  return status < 500 && status !== 429;
}

/**
 * The stage: replays or keeps answers. The fingerprint is method, served version,
 * path, query and raw body, so the same key on another route or version is a 409 too. A streamed
 * session create is kept as its session id and replayed as that session's
 * stream from the start, since its bytes are still being written.
 */
export function idempotency(store: IdempotencyStore): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (c.req.method !== "POST" || key === undefined) return next();
    IdempotencyStore.check(key);
    const account = c.get("account");
    // The served version too: the path is read below the version prefix, and the same route through another
    // version is another request, whose stored answer (another version's shape) must not be replayed.
    const fingerprint = `${c.req.method} ${c.get("version")} ${c.get("path")}${new URL(c.req.url).search}\n${c.get("body") ?? ""}`;
    let found = store.lookup(account.id, key, fingerprint);
    // A repeat of a request still running waits for its answer, then replays it (or runs, if it was not kept).
    while (found.kind === "wait") {
      await found.done;
      found = store.lookup(account.id, key, fingerprint);
    }
    if (found.kind === "replay") {
      const { answer } = found;
      const replay = answer.streamSessionId
        ? sessionEventStream(c, answer.streamSessionId, 0)
        : new Response(answer.body, { status: answer.status, headers: answer.headers });
      replay.headers.set("Idempotent-Replayed", "true");
      if (!answer.streamSessionId && answer.requestId) c.set("replayOf", answer.requestId);
      return replay;
    }
    const finish = store.begin(account.id, key, fingerprint);
    try {
      await next();
      const response = c.res;
      if (!isKeepable(response.status)) return;
      const headers = [...response.headers.entries()];
      const requestId = c.get("requestId");
      const streamSessionId = c.get("streamedSession");
      if (streamSessionId)
        store.remember(account.id, key, fingerprint, {
          status: response.status,
          headers,
          body: "",
          streamSessionId,
          requestId,
        });
      else {
        // Read, and answered afresh with the same text, rather than cloned: undici cancels a cloned Response's
        // body once the original object is collected, and Hono's re-wraps of c.res (headers set after next(), the
        // server's CORS) share that body, so a collection before it was sent left them a cancelled one.
        const body = await response.text();
        if (response.body !== null) c.res = new Response(body, response);
        store.remember(account.id, key, fingerprint, { status: response.status, headers, body, requestId });
      }
    } finally {
      finish();
    }
  };
}
