/**
 * Tools (1.1+): list, create, get, update, delete. Names are unique per
 * account (409 `name_taken`); header values are stored but never echoed:
 * every answer shows each header key with the value `"***"`.
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import { buildTool, checkToolName, deleteTool, maskTool, type ToolFields } from "../domain/tools.js";
import type { RouteContext, RouteDef } from "../gateway/env.js";
import { itemRoutes, kindRoute, merged } from "./kind-routes.js";
import { json, listResponse, nowIso, parseBody, present, readListQuery } from "./shared.js";

function create(c: RouteContext): Response {
  const account = c.get("account");
  const params = parseBody<ToolFields & Pick<v1_2.Tool, "name" | "endpoint">>(c, "ToolCreateParams");
  checkToolName(account, params.name);
  const tool = account.tools.insert(buildTool(params, nowIso(c)));
  return json(201, present(c, "Tool", maskTool(tool)));
}

/** The tool routes. */
export const toolRoutes: RouteDef[] = [
  kindRoute("tools", "GET", "/tools", (c) =>
    listResponse(c, c.get("account").tools, "Tool", readListQuery(c), undefined, maskTool),
  ),
  kindRoute("tools", "POST", "/tools", create),
  ...itemRoutes("tools", {
    view: maskTool,
    update: (c, tool, patch) => {
      if (patch.name !== undefined) checkToolName(c.get("account"), patch.name, tool.id);
      return merged(c, tool, patch);
    },
    remove: (c, tool) => {
      const account = c.get("account");
      for (const agent of deleteTool(account, tool.id, nowIso(c)))
        c.get("services").events.emit(account, "agent.updated", agent);
    },
  }),
];
