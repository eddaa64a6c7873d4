import * as z from "zod";
import { HttpsUrl, Id, ListParams, Timestamp } from "../common.js";

/** A tool name: letters, digits, `_` and `-`, 1 to 64 characters, unique per account. */
export const ToolName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "must be 1 to 64 letters, digits, _ or -");

/** A custom tool that agents can call (API 1.1+). Header values are never echoed back: answers show `"***"`. */
export const Tool = z.object({
  id: Id,
  object: z.literal("tool"),
  name: ToolName,
  description: z.string().nullable(),
  parameters: z.record(z.string(), z.unknown()),
  endpoint: HttpsUrl,
  method: z.enum(["GET", "POST"]),
  headers: z.record(z.string(), z.string()),
  created_at: Timestamp,
  updated_at: Timestamp,
});

/** The body of `POST /tools`. */
export const ToolCreateParams = z.strictObject({
  name: ToolName,
  description: z.string().nullable().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  endpoint: HttpsUrl,
  method: z.enum(["GET", "POST"]).optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/** The body of `PATCH /tools/{id}`. */
export const ToolUpdateParams = ToolCreateParams.partial();

/** The query of `GET /tools`. */
export const ToolListParams = ListParams;

/** @see {@link Tool} */
export type Tool = z.infer<typeof Tool>;
/** @see {@link ToolCreateParams} */
export type ToolCreateParams = z.input<typeof ToolCreateParams>;
/** @see {@link ToolUpdateParams} */
export type ToolUpdateParams = z.input<typeof ToolUpdateParams>;
/** @see {@link ToolListParams} */
export type ToolListParams = z.input<typeof ToolListParams>;
