import type { ApiVersion, ExportParams } from "@resonantgenesis/schemas";
import type { APIPromise } from "../core/api-promise.js";
import type { RequestOptions } from "../core/options.js";
import type { PagePromise } from "../core/pagination.js";
import { path } from "../internal/path.js";
import { APIResource, type In, type Out } from "./resource.js";
import { exportPages, importBatch } from "./shared.js";

/** An agent as version `V` answers it. */
export type Agent<V extends ApiVersion = "1.2"> = Out<V, "Agent">;

/**
 * Agents: create, read, update, delete, export and import (every version).
 *
 * @example
 * ```ts
 * const agent = await client.agents.create({ name: "triage", model: "gpt-4-turbo" });
 * for await (const a of client.agents.list({ status: "active" })) console.log(a.name);
 * ```
 */
export class Agents<V extends ApiVersion> extends APIResource<V> {
  /**
   * List agents, oldest first. Await it for one page, or iterate it for all.
   * @example `for await (const agent of client.agents.list()) {}`
   */
  list(params?: In<V, "AgentListParams">, options?: RequestOptions): PagePromise<Agent<V>> {
    return this.caller.list({ method: "GET", path: "agents", query: params, options }, "AgentList", {
      query: "AgentListParams",
    });
  }

  /**
   * Fetch one agent.
   * @example `const agent = await client.agents.get(id);`
   */
  get(id: string, options?: RequestOptions): APIPromise<Agent<V>> {
    return this.caller.request({ method: "GET", path: path`agents/${id}`, options }, "Agent");
  }

  /**
   * Create an agent. The body is checked before anything is sent.
   * @example `await client.agents.create({ name: "triage", model: "gpt-4-turbo", system_prompt: "Sort the inbox" });`
   */
  create(body: In<V, "AgentCreateParams">, options?: RequestOptions): APIPromise<Agent<V>> {
    return this.caller.request({ method: "POST", path: "agents", body, options }, "Agent", {
      body: "AgentCreateParams",
    });
  }

  /**
   * Change some of an agent's fields.
   * @example `await client.agents.update(id, { name: "triage-2" });`
   */
  update(id: string, body: In<V, "AgentUpdateParams">, options?: RequestOptions): APIPromise<Agent<V>> {
    const route = path`agents/${id}`;
    return this.caller.request({ method: "PATCH", path: route, body, options }, "Agent", { body: "AgentUpdateParams" });
  }

  /**
   * Delete an agent.
   * @example `await client.agents.delete(id);`
   */
  delete(id: string, options?: RequestOptions): APIPromise<void> {
    return this.caller.requestVoid({ method: "DELETE", path: path`agents/${id}`, options });
  }

  /**
   * Every agent as export gives it, page by page (up to 10,000 a page).
   * @example `for await (const agent of client.agents.export()) {}`
   */
  export(params: ExportParams = {}, options?: RequestOptions): PagePromise<Agent<V>> {
    return exportPages(this.caller, "agents", "AgentExportPage", params, options);
  }

  /**
   * Import agents with their ids kept (at most 1,000 a call); a re-run changes nothing.
   * @example `await client.agents.import({ agents: archive.agents, on_conflict: "skip" });`
   */
  import(body: In<V, "AgentImportRequest">, options?: RequestOptions): APIPromise<Out<V, "ImportResult">> {
    return importBatch(this.caller, "agents", "AgentImportRequest", body, options);
  }
}
