import * as z from "zod";
import { Timestamp, exportPage, importRequest } from "../common.js";
import { Agent } from "./agent.js";
import { ErrorBody } from "./error.js";
import { ExportedSession } from "./session.js";
import { Webhook } from "./webhook.js";

/** A page of `GET /agents/export`. */
export const AgentExportPage = exportPage("agents", Agent);
/** A page of `GET /sessions/export`: sessions with their steps inline. */
export const SessionExportPage = exportPage("sessions", ExportedSession);

/** The body of `POST /agents/import`. */
export const AgentImportRequest = importRequest("agents", Agent);

/** One item that an import refused, with the reason in the version's error form. */
export const ImportFailure = z.object({ id: z.string(), error: ErrorBody });

/** The answer of `POST /<kind>/import`. */
export const ImportResult = z.object({
  imported: z.int().min(0),
  skipped: z.int().min(0),
  failed: z.array(ImportFailure),
});

/** The format tag that every archive carries. */
export const ARCHIVE_FORMAT = "resonantgenesis.export";

/** The whole account as one archive (PROTOCOL.md section 6), as a 1.0 client assembles it. */
export const Archive = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  format_version: z.literal(1),
  api_version: z.literal("1.0"),
  exported_at: Timestamp,
  agents: z.array(Agent),
  sessions: z.array(ExportedSession),
  webhooks: z.array(Webhook),
});

/** @see {@link ImportResult} */
export type ImportResult = z.infer<typeof ImportResult>;
/** @see {@link ImportFailure} */
export type ImportFailure = z.infer<typeof ImportFailure>;
/** @see {@link Archive} */
export type Archive = z.infer<typeof Archive>;
/** @see {@link AgentImportRequest} */
export type AgentImportRequest = z.input<typeof AgentImportRequest>;
