import type { ExportParams } from "@resonantgenesis/schemas";
import { KIND_TABLE, type VersionsFrom } from "@resonantgenesis/schemas/meta";
import type { APIPromise } from "../core/api-promise.js";
import type { RequestOptions } from "../core/options.js";
import type { PagePromise } from "../core/pagination.js";
import { path } from "../internal/path.js";
import { APIResource, type In, type Out } from "./resource.js";
import { exportPages, importBatch } from "./shared.js";

/** The versions that have tools. */
export type ToolVersion = VersionsFrom<(typeof KIND_TABLE)["tools"]["since"]>;
/** A custom tool (API 1.1+). Header values come back as `"***"`. */
export type Tool<V extends ToolVersion = "1.2"> = Out<V, "Tool">;

/**
 * Custom tools that agents can call (API 1.1+).
 *
 * @example
 * ```ts
 * const tool = await client.tools.create({ name: "search", endpoint: "https://tools.example.com/search" });
 * await client.agents.update(agentId, { tool_ids: [tool.id] });
 * ```
 */
export class Tools<V extends ToolVersion> extends APIResource<V> {
  /** Its row of the kinds table: a client pinned before `KIND_TABLE.tools.since` refuses it. */
  static readonly kind = "tools";

  /** List tools. @example `for await (const tool of client.tools.list()) {}` */
  list(params?: In<V, "ToolListParams">, options?: RequestOptions): PagePromise<Tool<V>> {
    return this.caller.list({ method: "GET", path: "tools", query: params, options }, "ToolList", {
      query: "ToolListParams",
    });
  }

  /** Fetch one tool. @example `await client.tools.get(id);` */
  get(id: string, options?: RequestOptions): APIPromise<Tool<V>> {
    return this.caller.request({ method: "GET", path: path`tools/${id}`, options }, "Tool");
  }

  /** Create a tool; names are unique per account (else a ConflictError). @example `await client.tools.create({ name: "search", endpoint });` */
  create(body: In<V, "ToolCreateParams">, options?: RequestOptions): APIPromise<Tool<V>> {
    return this.caller.request({ method: "POST", path: "tools", body, options }, "Tool", { body: "ToolCreateParams" });
  }

  /** Change some of a tool's fields. @example `await client.tools.update(id, { method: "GET" });` */
  update(id: string, body: In<V, "ToolUpdateParams">, options?: RequestOptions): APIPromise<Tool<V>> {
    const route = path`tools/${id}`;
    return this.caller.request({ method: "PATCH", path: route, body, options }, "Tool", { body: "ToolUpdateParams" });
  }

  /** Delete a tool. @example `await client.tools.delete(id);` */
  delete(id: string, options?: RequestOptions): APIPromise<void> {
    return this.caller.requestVoid({ method: "DELETE", path: path`tools/${id}`, options });
  }

  /** Every tool, page by page. @example `for await (const tool of client.tools.export()) {}` */
  export(params: ExportParams = {}, options?: RequestOptions): PagePromise<Tool<V>> {
    return exportPages(this.caller, "tools", "ToolExportPage", params, options);
  }

  /** Import tools with their ids kept (API 1.2). @example `await client.tools.import({ tools });` */
  import(
    this: Tools<"1.2">,
    body: In<"1.2", "ToolImportRequest">,
    options?: RequestOptions,
  ): APIPromise<Out<"1.2", "ImportResult">> {
    this.caller.require("tools.import", KIND_TABLE.tools.importSince);
    return importBatch(this.caller, "tools", "ToolImportRequest", body, options);
  }
}
