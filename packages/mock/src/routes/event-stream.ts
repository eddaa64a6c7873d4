/**
 * The edge of the sessions engine: a session's events as a
 * `text/event-stream` answer (docs/protocol.md section 5), each event's data
 * in the served version's form. Used by the routes that stream (a streamed
 * `POST /sessions`, `GET /sessions/{id}/stream`) and by the idempotency stage
 * when it replays a streamed create.
 * @module
 */
import { findOr404 } from "../domain/common.js";
import type { LoggedEvent } from "../domain/sessions-engine.js";
import { errorBody, type ApiError } from "../errors.js";
import { presentAs } from "../evolve.js";
import type { RouteContext } from "../gateway/env.js";

/** One event as SSE text, its data serialised through the served version's schemas. */
function formatEvent(c: RouteContext, event: LoggedEvent): string {
  const version = c.get("version");
  const { evolve } = c.get("services");
  let data: unknown = event.data;
  if (event.event === "session" || event.event === "done") data = presentAs(version, "Session", data, evolve);
  else if (event.event === "step") data = presentAs(version, "Step", data, evolve);
  else if (event.event === "error") data = errorBody(version, c.get("requestId"), data as ApiError);
  return `id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The stream of session `sessionId` of the caller's account: every logged
 * event after `lastEventId`, then live events until `done`, with a `: ping`
 * comment every `pingIntervalMs` while it is open.
 */
export function sessionEventStream(c: RouteContext, sessionId: string, lastEventId: number): Response {
  const { engine, pingIntervalMs } = c.get("services");
  // A replayed streamed create whose session was deleted since: no session, no stream (the key's first answer is
  // not kept whole).
  findOr404(c.get("account").sessions, "session", sessionId);
  const feed = engine.feed(c.get("account"), sessionId);
  const encoder = new TextEncoder();
  let cleanup = (): void => undefined;
  const body = new ReadableStream<Uint8Array>({
    start: (controller) => {
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        controller.close();
      };
      const send = (event: LoggedEvent | null) => {
        if (closed) return;
        if (event === null) return close();
        if (event.id <= lastEventId) return;
        controller.enqueue(encoder.encode(formatEvent(c, event)));
      };
      for (const event of feed.log) send(event);
      if (feed.finished) return close();
      const unfollow = feed.follow(send);
      const ping = setInterval(() => {
        if (!closed) controller.enqueue(encoder.encode(": ping\n\n"));
      }, pingIntervalMs);
      cleanup = () => {
        clearInterval(ping);
        unfollow();
      };
    },
    cancel: () => cleanup(),
  });
  return new Response(body, {
    status: 200,
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache" },
  });
}
