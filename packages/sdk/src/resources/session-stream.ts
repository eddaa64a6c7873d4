import type { Caller, InputSchemas } from "../internal/caller.js";
import { APIConnectionError, ResponseValidationError } from "../core/errors.js";
import { redact } from "../core/redact.js";
import type { RequestOptions } from "../core/options.js";
import type { RequestSpec } from "../internal/transport.js";
import { isCut, retryDelayMs, sleep } from "../internal/retry.js";
import { parseSSE } from "../internal/sse.js";
import { takeHeader } from "../internal/take-header.js";
import type { Out } from "./resource.js";

/** Whether event id `id` comes after `last`: numerically when both are whole numbers, else when they differ. */
function isAfter(id: string, last: string | undefined): boolean {
  if (last === undefined) return true;
  return /^\d+$/.test(id) && /^\d+$/.test(last) ? BigInt(id) > BigInt(last) : id !== last;
}

/** The versions that stream sessions. */
export type StreamVersion = "1.1" | "1.2";
/**
 * An event whose type this SDK does not know (a newer server's), handed on
 * rather than dropped: `event` is its name on the wire, `data` its payload
 * (parsed JSON, or the text when it is not JSON).
 */
export interface UnknownStreamEvent {
  /** Marks an event of a type this SDK does not know. */
  type: "unknown";
  /** The event's name as the server sent it. */
  event: string;
  /** The event's payload. */
  data: unknown;
}
/** One typed event of a session stream: `{ type, data }`, or a newer server's event as {@link UnknownStreamEvent}. */
export type SessionStreamEvent<V extends StreamVersion = "1.2"> = Out<V, "StreamEvent"> | UnknownStreamEvent;

const KNOWN_EVENTS = new Set(["session", "step", "message", "tool_call", "tool_result", "error", "done"]);

/** An unknown event's payload: JSON where it parses, else the text itself (it is not ours to refuse). */
function looseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function parseData(data: string, requestId: string | undefined, apiVersion: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    // Redacted before it is cut, and without the SyntaxError, whose message quotes the data's start.
    const issues = [{ path: "(root)", message: `an event's data is not JSON: ${redact(data).slice(0, 80)}` }];
    throw new ResponseValidationError(undefined, { issues, requestId, apiVersion });
  }
}

/**
 * Read a session's events, reconnecting with `Last-Event-ID` when the
 * connection drops before `done`, so that no event is lost or seen twice.
 * Leaving the loop aborts the request in flight.
 *
 * @param caller - The client's caller.
 * @param first - The call that opens the stream (the streamed create, or follow).
 * @param sessionId - Known when following; learnt from the first event when creating.
 * @param routeOf - A session's stream route (`sessions/{id}/stream`), to resume it: built by sessions.ts,
 *   whose path checks this module would otherwise share with the entry, a chunk of their own in every bundle.
 * @param given - The caller's request options (its signal stops everything).
 * @param input - Schemas that check the first call's body before it is sent.
 */
export async function* streamSession<V extends StreamVersion>(
  caller: Caller<V>,
  first: RequestSpec,
  sessionId: string | undefined,
  routeOf: (sessionId: string) => string,
  given: RequestOptions | undefined,
  input: InputSchemas<V> = {},
): AsyncGenerator<SessionStreamEvent<V>, void, undefined> {
  // A Last-Event-ID among the call's headers is where the stream starts, as `lastEventId` is. Left there, it
  // would win over each resume's own (a call's headers do) and the server would send again what came since.
  const [named, headers] = takeHeader(given?.headers, "last-event-id");
  const options: RequestOptions = { ...given, headers };
  const eventCheck = await caller.answerCheck("StreamEvent");
  const controller = new AbortController();
  const userSignal = options.signal;
  const forward = () => controller.abort(userSignal?.reason);
  if (userSignal?.aborted) forward();
  userSignal?.addEventListener("abort", forward, { once: true });
  const maxReconnects = caller.retries(options);

  let spec: RequestSpec = first;
  // A follow() from a given event stands there until a newer one arrives: a cut before that resumes after it.
  let lastEventId: string | undefined = first.headers?.["last-event-id"] ?? named;
  let failures = 0;
  try {
    for (;;) {
      let finished = false;
      let answered = false;
      try {
        const { body, requestId } = await caller.stream(
          {
            ...spec,
            accept: "text/event-stream",
            headers: lastEventId === undefined ? spec.headers : { ...spec.headers, "last-event-id": lastEventId },
            options: { ...options, signal: controller.signal },
          },
          // The opening call's body is checked before it is sent; a reconnect has none.
          spec === first ? input : {},
        );
        answered = true;
        for await (const message of parseSSE(body)) {
          // Ids increase (docs/protocol.md): an event at or before the last one is a replay of a server that
          // ignored Last-Event-ID. Given again, the caller saw it twice; counted as progress, the reconnects
          // never ran out while the stream never moved on.
          if (message.id !== undefined && !isAfter(message.id, lastEventId)) continue;
          failures = 0;
          if (message.id !== undefined) lastEventId = message.id;
          const typed: SessionStreamEvent<V> =
            KNOWN_EVENTS.has(message.event) || caller.validate === "strict"
              ? await caller.checked(
                  "StreamEvent",
                  eventCheck,
                  { type: message.event, data: parseData(message.data, requestId, caller.apiVersion) },
                  requestId,
                )
              : { type: "unknown", event: message.event, data: looseData(message.data) };
          if (typed.type === "session" || typed.type === "done") sessionId ??= typed.data.id;
          yield typed;
          // A transport may keep delivering buffered bytes after an abort; the caller's abort wins.
          controller.signal.throwIfAborted();
          if (typed.type === "done") {
            finished = true;
            return;
          }
        }
        // The server closed the stream before `done`: a cut, resumed below.
        throw new APIConnectionError("The session stream ended before its done event.");
      } catch (error) {
        if (finished || controller.signal.aborted) throw controller.signal.aborted ? controller.signal.reason : error;
        // A reconnect that got no answer had the transport's retries already: another would multiply them.
        const resumable = answered && isCut(error);
        // A body read that failed is the platform's TypeError (a reset): ours to name, as export-stream.ts does.
        if (!resumable || sessionId === undefined || failures >= maxReconnects)
          throw error instanceof TypeError
            ? new APIConnectionError("The session stream was cut before its done event.", { cause: error })
            : error;
        failures += 1;
        await sleep(retryDelayMs(failures), controller.signal);
        spec = { method: "GET", path: routeOf(sessionId), options };
      }
    }
  } finally {
    userSignal?.removeEventListener("abort", forward);
    // Leaving the loop early must close the connection rather than leave it open.
    controller.abort();
  }
}
