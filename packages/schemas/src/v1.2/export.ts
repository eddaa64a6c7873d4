import * as z from "zod/mini";
import { KINDS, RECORD_KIND, type Kind } from "../kinds.js";
import { Timestamp, exportPage, importRequest } from "../common.js";
import { ARCHIVE_FORMAT } from "../v1.0/export.js";
import { Tool } from "../v1.1/tool.js";
import { Agent } from "./agent.js";
import { ErrorObject } from "./error.js";
import { Memory } from "./memory.js";
import { ExportedSession } from "./session.js";
import { Team } from "./team.js";
import { Trigger } from "./trigger.js";
import { Webhook } from "./webhook.js";

/** The schema of one exported object of each kind (API 1.2). */
export const ExportItem = {
  /** Custom tools. */
  tools: Tool,
  /** Agents. */
  agents: Agent,
  /** Teams. */
  teams: Team,
  /** Sessions, with their steps. */
  sessions: ExportedSession,
  /** Memories. */
  memories: Memory,
  /** Triggers, without secrets. */
  triggers: Trigger,
  /** Webhooks, without secrets. */
  webhooks: Webhook,
} as const satisfies Record<Kind, z.ZodMiniType>;

/** A page of `GET /agents/export` (API 1.2). */
export const AgentExportPage = exportPage("agents", Agent);
/** A page of `GET /sessions/export` (API 1.2). */
export const SessionExportPage = exportPage("sessions", ExportedSession);
/** A page of `GET /tools/export`. */
export const ToolExportPage = exportPage("tools", Tool);
/** A page of `GET /webhooks/export` (secrets are never exported). */
export const WebhookExportPage = exportPage("webhooks", Webhook);
/** A page of `GET /teams/export`. */
export const TeamExportPage = exportPage("teams", Team);
/** A page of `GET /memories/export`. */
export const MemoryExportPage = exportPage("memories", Memory);
/** A page of `GET /triggers/export` (secrets are never exported). */
export const TriggerExportPage = exportPage("triggers", Trigger);

/** The body of `POST /agents/import` (API 1.2). */
export const AgentImportRequest = importRequest("agents", Agent);
/** The body of `POST /sessions/import`. */
export const SessionImportRequest = importRequest("sessions", ExportedSession);
/** The body of `POST /tools/import`. */
export const ToolImportRequest = importRequest("tools", Tool);
/** The body of `POST /webhooks/import`. */
export const WebhookImportRequest = importRequest("webhooks", Webhook);
/** The body of `POST /teams/import`. */
export const TeamImportRequest = importRequest("teams", Team);
/** The body of `POST /memories/import`. */
export const MemoryImportRequest = importRequest("memories", Memory);
/** The body of `POST /triggers/import`. */
export const TriggerImportRequest = importRequest("triggers", Trigger);

/** One item that an import refused, with a 1.2 error object. */
export const ImportFailure = z.object({ id: z.string(), error: ErrorObject });

/**
 * The signing secret a webhook or trigger got when an import created it.
 * docs/protocol.md gives a secret in the create answer alone and never in an
 * export; an import that creates one answers with it as a create would (a
 * choice where the contract is silent, see docs/protocol.md). Optional, so
 * an answer without it is read as well.
 */
export const NewSecret = z.object({ id: z.string(), secret: z.string() });

/** The answer of `POST /<kind>/import` (API 1.2). */
export const ImportResult = z.object({
  /** How many were imported. */
  imported: z.int().check(z.minimum(0)),
  /** How many were skipped because their id exists. */
  skipped: z.int().check(z.minimum(0)),
  /** The items that failed, each with its error. */
  failed: z.array(ImportFailure),
  /** The new secret of each webhook or trigger this call created (never on a skip or an overwrite). */
  secrets: z.optional(z.array(NewSecret)),
});

/** Per-kind counts. */
export const KindCounts = z.partialRecord(z.enum(KINDS), z.int().check(z.minimum(0)));

/** The answer of `POST /data/import`. */
export const DataImportResult = z.object({
  /** How many were imported. */
  imported: KindCounts,
  /** How many were skipped because their id exists. */
  skipped: KindCounts,
  /** The items that failed, each with its error. */
  failed: z.array(z.extend(ImportFailure, { kind: z.optional(z.enum(KINDS)) })),
  /** The new secret of each webhook or trigger this call created, with its kind. */
  secrets: z.optional(z.array(z.extend(NewSecret, { kind: z.enum(KINDS) }))),
});

/** The whole account as one archive (API 1.2), as `GET /data/export` answers and `POST /data/import` takes. */
export const Archive = z.object({
  /** Always `resonantgenesis.export`. */
  format: z.literal(ARCHIVE_FORMAT),
  /** The archive format's version (1). */
  format_version: z.literal(1),
  /** The API version the archive was exported with. */
  api_version: z.literal("1.2"),
  /** When the archive was made (ISO-8601 UTC). */
  exported_at: Timestamp,
  ...(Object.fromEntries(KINDS.map((kind) => [kind, z.array(ExportItem[kind])])) as {
    [K in Kind]: z.ZodMiniArray<(typeof ExportItem)[K]>;
  }),
});

/** One line of the NDJSON export: an object of some kind, or the closing `end` line with the counts. */
export const ExportRecord = z.discriminatedUnion("kind", [
  ...KINDS.map((kind) => z.object({ kind: z.literal(RECORD_KIND[kind]), data: ExportItem[kind] })),
  z.object({ kind: z.literal("end"), counts: KindCounts }),
] as unknown as [ExportRecordSchema, ...ExportRecordSchema[]]);

type ExportRecordSchema =
  | {
      [K in Kind]: z.ZodMiniObject<{ kind: z.ZodMiniLiteral<(typeof RECORD_KIND)[K]>; data: (typeof ExportItem)[K] }>;
    }[Kind]
  | z.ZodMiniObject<{ kind: z.ZodMiniLiteral<"end">; counts: typeof KindCounts }>;

/** @see {@link ImportFailure} */
export type ImportFailure = z.infer<typeof ImportFailure>;
/** @see {@link NewSecret} */
export type NewSecret = z.infer<typeof NewSecret>;
/** @see {@link ImportResult} */
export type ImportResult = z.infer<typeof ImportResult>;
/** @see {@link DataImportResult} */
export type DataImportResult = z.infer<typeof DataImportResult>;
/** @see {@link KindCounts} */
export type KindCounts = z.infer<typeof KindCounts>;
/** @see {@link Archive} */
export type Archive = z.infer<typeof Archive>;
/** @see {@link ExportRecord} */
export type ExportRecord = z.infer<typeof ExportRecord>;
