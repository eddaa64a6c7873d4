/**
 * The Idempotency-Key stage (PROTOCOL.md section 2), the last before the
 * routes: a `POST` with a key the account used for the same request gets the
 * first answer back with `Idempotent-Replayed: true`; the first answer of a
 * new key is kept (see {@link isKeepable}). The store itself is idempotency.ts.
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { IdempotencyStore, isKeepable } from "../idempotency.js";
import type { SessionsEngine } from "../sessions-engine.js";
import type { GatewayEnv } from "./env.js";

/**
 * Replays or keeps answers. The fingerprint is method, path, query and raw
 * body, so the same key on another route is a 409 too. A streamed session
 * create is kept as its session id and replayed as that session's stream
 * from the start, since its bytes are still being written.
 */
export function idempotency(store: IdempotencyStore, engine: SessionsEngine): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (c.req.method !== "POST" || key === undefined) return next();
    IdempotencyStore.check(key);
    const account = c.get("account");
    const fingerprint = `${c.req.method} ${c.get("path")}${new URL(c.req.url).search}\n${c.get("body") ?? ""}`;
    const found = store.lookup(account.id, key, fingerprint);
    if (found.kind === "replay") {
      const { answer } = found;
      const replay = answer.streamSessionId
        ? engine.stream(account, answer.streamSessionId, 0, c.get("version"), c.get("requestId"))
        : new Response(answer.body, { status: answer.status, headers: answer.headers });
      replay.headers.set("Idempotent-Replayed", "true");
      if (!answer.streamSessionId && answer.requestId) c.set("replayOf", answer.requestId);
      return replay;
    }
    await next();
    const response = c.res;
    if (!isKeepable(response.status)) return;
    const headers = [...response.headers.entries()];
    const requestId = c.get("requestId");
    const streamSessionId = c.get("streamedSession");
    if (streamSessionId) store.remember(account.id, key, fingerprint, { status: response.status, headers, body: "", streamSessionId, requestId });
    else store.remember(account.id, key, fingerprint, { status: response.status, headers, body: await response.clone().text(), requestId });
  };
}
