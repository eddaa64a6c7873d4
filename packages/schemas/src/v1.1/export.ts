import * as z from "zod/mini";
import { exportPage, importRequest } from "../common.js";
import * as v1_0 from "../v1.0/export.js";
import { Agent } from "./agent.js";
import { Tool } from "./tool.js";

/** A page of `GET /agents/export` (API 1.1). */
export const AgentExportPage = exportPage("agents", Agent);
/** A page of `GET /tools/export`. */
export const ToolExportPage = exportPage("tools", Tool);
/** The body of `POST /agents/import` (API 1.1). */
export const AgentImportRequest = importRequest("agents", Agent);

/** The whole account as one archive, as a 1.1 client assembles it. */
export const Archive = z.extend(v1_0.Archive, {
  /** The API version the archive was exported with. */
  api_version: z.literal("1.1"),
  /** Agents. */
  agents: z.array(Agent),
  /** Custom tools. */
  tools: z.array(Tool),
});

/** @see {@link Archive} */
export type Archive = z.infer<typeof Archive>;
/** @see {@link AgentImportRequest} */
export type AgentImportRequest = z.input<typeof AgentImportRequest>;
