import { KIND_TABLE } from "@resonantgenesis/schemas/meta";
import type { ApiVersion, ExportParams } from "@resonantgenesis/schemas";
import type { APIPromise } from "../core/api-promise.js";
import type { RequestOptions } from "../core/options.js";
import type { PagePromise } from "../core/pagination.js";
import { path } from "../internal/path.js";
import { APIResource, type In, type Out } from "./resource.js";
import { later } from "./later.js";
import type { SessionStreamEvent, StreamVersion } from "./session-stream.js";
import { exportPages, importBatch } from "./shared.js";

// A session's stream route, also the one a cut stream resumes at: the stream's code (loaded lazily) takes it from
// here rather than import the path checks, which it would share with the entry as a chunk of their own.
const streamRoute = (id: string): string => path`sessions/${id}/stream`;

/** A session as version `V` answers it. */
export type Session<V extends ApiVersion = "1.2"> = Out<V, "Session">;
/** A step of a session. */
export type Step = Out<"1.0", "Step">;
// 1.2's body names an agent or a team, exactly one: the schema's refine, said to the compiler.
type AgentOrTeam<B> = "team_id" extends keyof B
  ? Omit<B, "agent_id" | "team_id"> &
      ({ agent_id: string; team_id?: undefined } | { team_id: string; agent_id?: undefined })
  : B;
/**
 * What `sessions.create` and `sessions.stream` take in version `V`: the wire's body without its `stream` switch
 * (on 1.2, `agent_id` or `team_id`, exactly one).
 */
export type SessionCreateBody<V extends ApiVersion> = AgentOrTeam<In<V, "SessionStartParams">>;

/** The steps of sessions. */
export class Steps<V extends ApiVersion> extends APIResource<V> {
  /** List a session's steps, in order. @example `for await (const step of client.sessions.steps.list(id)) {}` */
  list(sessionId: string, params?: In<V, "StepListParams">, options?: RequestOptions): PagePromise<Step> {
    const route = path`sessions/${sessionId}/steps`;
    return this.caller.list({ method: "GET", path: route, query: params, options }, "StepList", {
      query: "StepListParams",
    });
  }
}

/**
 * Sessions: an agent (or, in 1.2, a team) working towards a goal, step by step.
 *
 * @example
 * ```ts
 * const session = await client.sessions.create({ agent_id, goal: "Summarise the inbox" });
 * for await (const event of client.sessions.stream({ agent_id, goal: "Summarise the inbox" })) {
 *   if (event.type === "message") process.stdout.write(event.data.delta);
 * }
 * ```
 */
export class Sessions<V extends ApiVersion> extends APIResource<V> {
  /** A session's steps. */
  readonly steps: Steps<V> = new Steps(this.caller);

  /** List sessions, by agent or status. @example `for await (const s of client.sessions.list({ status: "running" })) {}` */
  list(params?: In<V, "SessionListParams">, options?: RequestOptions): PagePromise<Session<V>> {
    return this.caller.list({ method: "GET", path: "sessions", query: params, options }, "SessionList", {
      query: "SessionListParams",
    });
  }

  /** Fetch one session. @example `const session = await client.sessions.get(id);` */
  get(id: string, options?: RequestOptions): APIPromise<Session<V>> {
    return this.caller.request({ method: "GET", path: path`sessions/${id}`, options }, "Session");
  }

  /** Start a session; it answers at once with status `running`. @example `await client.sessions.create({ agent_id, goal: "Greet" });` */
  create(body: SessionCreateBody<V>, options?: RequestOptions): APIPromise<Session<V>> {
    // Checked without the wire's `stream`: given to create from plain JS, it would start a session it cannot read.
    return this.caller.request({ method: "POST", path: "sessions", body, options }, "Session", {
      body: "SessionStartParams",
    });
  }

  /** Stop a running session. @example `await client.sessions.cancel(id);` */
  cancel(id: string, options?: RequestOptions): APIPromise<Session<V>> {
    return this.caller.request({ method: "POST", path: path`sessions/${id}/cancel`, options }, "Session");
  }

  /** Delete a session. @example `await client.sessions.delete(id);` */
  delete(id: string, options?: RequestOptions): APIPromise<void> {
    return this.caller.requestVoid({ method: "DELETE", path: path`sessions/${id}`, options });
  }

  /**
   * Start a session and read its events as they happen (API 1.1+). A dropped
   * connection is resumed with `Last-Event-ID`; leaving the loop closes it.
   * @example `for await (const e of client.sessions.stream({ agent_id, goal })) console.log(e.type);`
   */
  stream<W extends StreamVersion>(
    this: Sessions<W>,
    body: SessionCreateBody<W>,
    options?: RequestOptions,
  ): AsyncGenerator<SessionStreamEvent<W>, void, undefined> {
    this.caller.require("sessions.stream", "1.1");
    const wire = { ...body, stream: true };
    const first = { method: "POST", path: "sessions", body: wire } as const;
    return later(async () =>
      (await import("./session-stream.js")).streamSession(this.caller, first, undefined, streamRoute, options, {
        body: "SessionCreateParams",
      }),
    );
  }

  /**
   * Follow a session already running (API 1.1+), from its first event.
   * @example `for await (const e of client.sessions.follow(id)) {}`
   */
  follow<W extends StreamVersion>(
    this: Sessions<W>,
    sessionId: string,
    options?: RequestOptions & { lastEventId?: string | undefined },
  ): AsyncGenerator<SessionStreamEvent<W>, void, undefined> {
    this.caller.require("sessions.follow", "1.1");
    const route = streamRoute(sessionId);
    const headers = options?.lastEventId === undefined ? undefined : { "last-event-id": options.lastEventId };
    return later(async () =>
      (await import("./session-stream.js")).streamSession(
        this.caller,
        { method: "GET", path: route, headers },
        sessionId,
        streamRoute,
        options,
      ),
    );
  }

  /** Every session with its steps inline, page by page. @example `for await (const s of client.sessions.export()) {}` */
  export(params: ExportParams = {}, options?: RequestOptions): PagePromise<Out<V, "ExportedSession">> {
    return exportPages(this.caller, "sessions", "SessionExportPage", params, options);
  }

  /** Import sessions with their ids kept (API 1.2). @example `await client.sessions.import({ sessions });` */
  import(
    this: Sessions<"1.2">,
    body: In<"1.2", "SessionImportRequest">,
    options?: RequestOptions,
  ): APIPromise<Out<"1.2", "ImportResult">> {
    this.caller.require("sessions.import", KIND_TABLE.sessions.importSince);
    return importBatch(this.caller, "sessions", "SessionImportRequest", body, options);
  }
}
