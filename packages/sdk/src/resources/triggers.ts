import type { ExportParams } from "@resonantgenesis/schemas";
import type { APIPromise } from "../core/api-promise.js";
import type { RequestOptions } from "../core/options.js";
import type { PagePromise } from "../core/pagination.js";
import { path } from "../internal/path.js";
import { APIResource, type In, type Out } from "./resource.js";
import { exportPages, importBatch } from "./shared.js";

/** A webhook trigger (API 1.2). */
export type Trigger = Out<"1.2", "Trigger">;
/** The create answer: the trigger and, this once, its secret. */
export type TriggerWithSecret = Out<"1.2", "TriggerWithSecret">;

/**
 * Webhook triggers (API 1.2): a third party's signed call starts a session.
 *
 * @example
 * ```ts
 * const trigger = await client.triggers.create(agentId, { name: "new-ticket", goal_template: "Triage ticket {id}" });
 * await client.triggers.pause(trigger.id);
 * ```
 */
export class Triggers extends APIResource<"1.2"> {
  /** Its row of the kinds table: a client pinned before `KIND_TABLE.triggers.since` refuses it. */
  static readonly kind = "triggers";

  /** List an agent's triggers. @example `for await (const t of client.triggers.list(agentId)) {}` */
  list(agentId: string, params: In<"1.2", "TriggerListParams"> = {}, options?: RequestOptions): PagePromise<Trigger> {
    const route = path`agents/${agentId}/triggers`;
    return this.caller.list({ method: "GET", path: route, query: params, options }, "TriggerList", {
      query: "TriggerListParams",
    });
  }

  /** Create a trigger on an agent; the answer alone carries its `secret`. @example `await client.triggers.create(agentId, { name, goal_template });` */
  create(
    agentId: string,
    body: In<"1.2", "TriggerCreateParams">,
    options?: RequestOptions,
  ): APIPromise<TriggerWithSecret> {
    const route = path`agents/${agentId}/triggers`;
    return this.caller.request({ method: "POST", path: route, body, options }, "TriggerWithSecret", {
      body: "TriggerCreateParams",
    });
  }

  /** Fetch one trigger. @example `await client.triggers.get(id);` */
  get(id: string, options?: RequestOptions): APIPromise<Trigger> {
    return this.caller.request({ method: "GET", path: path`triggers/${id}`, options }, "Trigger");
  }

  /** Change some of a trigger's fields. @example `await client.triggers.update(id, { debounce_seconds: 30 });` */
  update(id: string, body: In<"1.2", "TriggerUpdateParams">, options?: RequestOptions): APIPromise<Trigger> {
    const route = path`triggers/${id}`;
    return this.caller.request({ method: "PATCH", path: route, body, options }, "Trigger", {
      body: "TriggerUpdateParams",
    });
  }

  /** Delete a trigger. @example `await client.triggers.delete(id);` */
  delete(id: string, options?: RequestOptions): APIPromise<void> {
    return this.caller.requestVoid({ method: "DELETE", path: path`triggers/${id}`, options });
  }

  /** Stop a trigger from starting sessions. @example `await client.triggers.pause(id);` */
  pause(id: string, options?: RequestOptions): APIPromise<Trigger> {
    return this.caller.request({ method: "POST", path: path`triggers/${id}/pause`, options }, "Trigger");
  }

  /** Let a paused trigger start sessions again. @example `await client.triggers.resume(id);` */
  resume(id: string, options?: RequestOptions): APIPromise<Trigger> {
    return this.caller.request({ method: "POST", path: path`triggers/${id}/resume`, options }, "Trigger");
  }

  /** Every trigger, page by page, without secrets. @example `for await (const t of client.triggers.export()) {}` */
  export(params: ExportParams = {}, options?: RequestOptions): PagePromise<Trigger> {
    return exportPages(this.caller, "triggers", "TriggerExportPage", params, options);
  }

  /** Import triggers with their ids kept. @example `await client.triggers.import({ triggers });` */
  import(body: In<"1.2", "TriggerImportRequest">, options?: RequestOptions): APIPromise<Out<"1.2", "ImportResult">> {
    return importBatch(this.caller, "triggers", "TriggerImportRequest", body, options);
  }
}
