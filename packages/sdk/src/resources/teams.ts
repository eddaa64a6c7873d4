import type { ExportParams } from "@resonantgenesis/schemas";
import type { APIPromise } from "../core/api-promise.js";
import type { RequestOptions } from "../core/options.js";
import type { PagePromise } from "../core/pagination.js";
import { path } from "../internal/path.js";
import { APIResource, type In, type Out } from "./resource.js";
import { exportPages, importBatch } from "./shared.js";

/** A team of agents (API 1.2). */
export type Team = Out<"1.2", "Team">;

/**
 * Agent teams (API 1.2).
 *
 * @example
 * ```ts
 * const team = await client.teams.create({ name: "support", agent_ids: [a.id, b.id], coordination_mode: "parallel" });
 * ```
 */
export class Teams extends APIResource<"1.2"> {
  /** Its row of the kinds table: a client pinned before `KIND_TABLE.teams.since` refuses it. */
  static readonly kind = "teams";

  /** List teams. @example `for await (const team of client.teams.list()) {}` */
  list(params: In<"1.2", "TeamListParams"> = {}, options?: RequestOptions): PagePromise<Team> {
    return this.caller.list({ method: "GET", path: "teams", query: params, options }, "TeamList", {
      query: "TeamListParams",
    });
  }

  /** Fetch one team. @example `await client.teams.get(id);` */
  get(id: string, options?: RequestOptions): APIPromise<Team> {
    return this.caller.request({ method: "GET", path: path`teams/${id}`, options }, "Team");
  }

  /** Create a team of 1 to 20 agents. @example `await client.teams.create({ name: "support", agent_ids: [a.id] });` */
  create(body: In<"1.2", "TeamCreateParams">, options?: RequestOptions): APIPromise<Team> {
    return this.caller.request({ method: "POST", path: "teams", body, options }, "Team", { body: "TeamCreateParams" });
  }

  /** Change some of a team's fields. @example `await client.teams.update(id, { coordination_mode: "sequential" });` */
  update(id: string, body: In<"1.2", "TeamUpdateParams">, options?: RequestOptions): APIPromise<Team> {
    const route = path`teams/${id}`;
    return this.caller.request({ method: "PATCH", path: route, body, options }, "Team", { body: "TeamUpdateParams" });
  }

  /** Delete a team. @example `await client.teams.delete(id);` */
  delete(id: string, options?: RequestOptions): APIPromise<void> {
    return this.caller.requestVoid({ method: "DELETE", path: path`teams/${id}`, options });
  }

  /** Every team, page by page. @example `for await (const team of client.teams.export()) {}` */
  export(params: ExportParams = {}, options?: RequestOptions): PagePromise<Team> {
    return exportPages(this.caller, "teams", "TeamExportPage", params, options);
  }

  /** Import teams with their ids kept. @example `await client.teams.import({ teams, on_conflict: "overwrite" });` */
  import(body: In<"1.2", "TeamImportRequest">, options?: RequestOptions): APIPromise<Out<"1.2", "ImportResult">> {
    return importBatch(this.caller, "teams", "TeamImportRequest", body, options);
  }
}
