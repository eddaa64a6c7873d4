import * as z from "zod/mini";
import { HttpsUrl, Id, ListParams, Timestamp, open } from "../common.js";

/** A tool name: letters, digits, `_` and `-`, 1 to 64 characters, unique per account. */
export const ToolName = z.string().check(z.regex(/^[a-zA-Z0-9_-]{1,64}$/, "must be 1 to 64 letters, digits, _ or -"));

/** The HTTP method a tool is called with. */
export const ToolMethod = z.enum(["GET", "POST"]);

/** A custom tool that agents can call (API 1.1+). Header values are never echoed back: answers show `"***"`. */
export const Tool = z.object({
  /** The object's id (a UUID). */
  id: Id,
  /** Always `tool`. */
  object: z.literal("tool"),
  /** The tool's name: letters, digits, `_` and `-`, 1 to 64 characters, unique per account. */
  name: ToolName,
  /** A description, or null. */
  description: z.nullable(z.string()),
  /** The JSON Schema of the tool's input. */
  parameters: z.record(z.string(), z.unknown()),
  /** The https URL the platform calls. */
  endpoint: HttpsUrl,
  /** The HTTP method of the call. */
  method: open(ToolMethod),
  /** Headers sent with each call; answers show each value as `***`. */
  headers: z.record(z.string(), z.string()),
  /** When it was created (ISO-8601 UTC). */
  created_at: Timestamp,
  /** When it was last changed (ISO-8601 UTC). */
  updated_at: Timestamp,
});

/** The body of `POST /tools`. */
export const ToolCreateParams = z.strictObject({
  /** The tool's name: letters, digits, `_` and `-`, 1 to 64 characters, unique per account. */
  name: ToolName,
  /** A description, or null. */
  description: z.optional(z.nullable(z.string())),
  /** The JSON Schema of the tool's input. */
  parameters: z.optional(z.record(z.string(), z.unknown())),
  /** The https URL the platform calls. */
  endpoint: HttpsUrl,
  /** The HTTP method of the call. */
  method: z.optional(ToolMethod),
  /** Headers sent with each call; answers show each value as `***`. */
  headers: z.optional(z.record(z.string(), z.string())),
});

/** The body of `PATCH /tools/{id}`. */
export const ToolUpdateParams = z.partial(ToolCreateParams);

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
