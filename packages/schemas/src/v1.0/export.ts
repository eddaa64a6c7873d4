import * as z from "zod/mini";
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
  /** How many were imported. */
  imported: z.int().check(z.minimum(0)),
  /** How many were skipped because their id exists. */
  skipped: z.int().check(z.minimum(0)),
  /** The items that failed, each with its error. */
  failed: z.array(ImportFailure),
});

/** The format tag that every archive carries. */
export const ARCHIVE_FORMAT = "resonantgenesis.export";

/** The whole account as one archive (docs/protocol.md section 6), as a 1.0 client assembles it. */
export const Archive = z.object({
  /** Always `resonantgenesis.export`. */
  format: z.literal(ARCHIVE_FORMAT),
  /** The archive format's version (1). */
  format_version: z.literal(1),
  /** The API version the archive was exported with. */
  api_version: z.literal("1.0"),
  /** When the archive was made (ISO-8601 UTC). */
  exported_at: Timestamp,
  /** Agents. */
  agents: z.array(Agent),
  /** Sessions, with their steps. */
  sessions: z.array(ExportedSession),
  /** Webhooks, without secrets. */
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
