import type { ExportParams } from "@resonantgenesis/schemas";
import type { APIPromise } from "../core/api-promise.js";
import type { RequestOptions } from "../core/options.js";
import type { PagePromise } from "../core/pagination.js";
import { path } from "../internal/path.js";
import { APIResource, type In, type Out } from "./resource.js";
import { exportPages, importBatch } from "./shared.js";

/** A memory (API 1.2). */
export type Memory = Out<"1.2", "Memory">;
/** One search hit: the memory and its score (0 to 1). */
export type MemorySearchHit = Out<"1.2", "MemorySearchHit">;

/**
 * The memory system (API 1.2): what agents remember, and search over it.
 *
 * @example
 * ```ts
 * await client.memories.create({ content: "The customer prefers email", agent_id, tags: ["crm"] });
 * const { data } = await client.memories.search({ query: "email", agent_id });
 * ```
 */
export class Memories extends APIResource<"1.2"> {
  /** Its row of the kinds table: a client pinned before `KIND_TABLE.memories.since` refuses it. */
  static readonly kind = "memories";

  /** List memories, by agent or tag. @example `for await (const m of client.memories.list({ tag: "crm" })) {}` */
  list(params: In<"1.2", "MemoryListParams"> = {}, options?: RequestOptions): PagePromise<Memory> {
    return this.caller.list({ method: "GET", path: "memories", query: params, options }, "MemoryList", {
      query: "MemoryListParams",
    });
  }

  /** Fetch one memory. @example `await client.memories.get(id);` */
  get(id: string, options?: RequestOptions): APIPromise<Memory> {
    return this.caller.request({ method: "GET", path: path`memories/${id}`, options }, "Memory");
  }

  /** Store a memory (1 to 8,000 characters). @example `await client.memories.create({ content: "..." });` */
  create(body: In<"1.2", "MemoryCreateParams">, options?: RequestOptions): APIPromise<Memory> {
    return this.caller.request({ method: "POST", path: "memories", body, options }, "Memory", {
      body: "MemoryCreateParams",
    });
  }

  /** Delete a memory. @example `await client.memories.delete(id);` */
  delete(id: string, options?: RequestOptions): APIPromise<void> {
    return this.caller.requestVoid({ method: "DELETE", path: path`memories/${id}`, options });
  }

  /**
   * Search memories; hits come best first, in one page.
   * @example `const hits = (await client.memories.search({ query: "email" })).data;`
   */
  search(
    body: In<"1.2", "MemorySearchParams">,
    options?: RequestOptions,
  ): APIPromise<Out<"1.2", "MemorySearchResult">> {
    return this.caller.request({ method: "POST", path: "memories/search", body, options }, "MemorySearchResult", {
      body: "MemorySearchParams",
    });
  }

  /** Every memory, page by page. @example `for await (const m of client.memories.export()) {}` */
  export(params: ExportParams = {}, options?: RequestOptions): PagePromise<Memory> {
    return exportPages(this.caller, "memories", "MemoryExportPage", params, options);
  }

  /** Import memories with their ids kept. @example `await client.memories.import({ memories });` */
  import(body: In<"1.2", "MemoryImportRequest">, options?: RequestOptions): APIPromise<Out<"1.2", "ImportResult">> {
    return importBatch(this.caller, "memories", "MemoryImportRequest", body, options);
  }
}
