/**
 * Importing one item into an account, shared by `POST /<kind>/import` and
 * `POST /data/import`. Ids are kept; each item is checked on its own (its
 * shape, the objects it names, a taken tool name), so one bad item fails
 * alone and the rest go in.
 * @module
 */
import { PARSE_OPTIONS, tolerant, type ApiVersion, type v1_2 } from "@resonantgenesis/schemas";
import { ApiError, validationError, zodIssues } from "../errors.js";
import { EVOLVED_KIND, withEvolvedFields, workflows, type EvolvedKind } from "../evolve.js";
import { KIND_TABLE, type Kind } from "../kinds.js";
import type { Account } from "../store.js";
import { hasSchema, schemaFor } from "./common.js";
import { readCarried } from "../newer-values.js";
import type { SessionsEngine } from "./sessions-engine.js";
import { newSecret } from "./webhooks.js";
import { CURRENT_API_VERSION } from "@resonantgenesis/schemas/meta";

/** What to do with an item whose id exists. */
export type OnConflict = "skip" | "overwrite" | "fail";

/** The outcome of importing one item. */
export type ItemOutcome =
  | { kind: "imported"; secret?: { id: string; secret: string } }
  | { kind: "skipped" }
  | { kind: "failed"; id: string; error: ApiError };

// Import failures carry details, so the 1.0/1.1 form keeps the code too (`detail: {code, message, ...}`).
const missing = (kind: string, id: string) =>
  new ApiError({
    status: 404,
    code: `${kind}_not_found`,
    message: `The item names a missing ${kind}: ${id}`,
    details: { missing_id: id },
  });

/** The first object the item names that the account lacks, as the error to fail it with. */
function missingReference(account: Account, kind: Kind, item: Record<string, unknown>): ApiError | undefined {
  switch (kind) {
    case "agents":
      for (const id of (item.tool_ids as string[] | undefined) ?? [])
        if (!account.tools.has(id)) return missing("tool", id);
      return undefined;
    case "sessions":
      if (!account.agents.has(item.agent_id as string)) return missing("agent", item.agent_id as string);
      if (item.team_id != null && !account.teams.has(item.team_id as string))
        return missing("team", item.team_id as string);
      return undefined;
    case "teams":
      for (const id of item.agent_ids as string[]) if (!account.agents.has(id)) return missing("agent", id);
      return undefined;
    case "memories":
    case "triggers":
      if (item.agent_id != null && !account.agents.has(item.agent_id as string))
        return missing("agent", item.agent_id as string);
      return undefined;
    case "tools":
      for (const tool of account.tools.values())
        if (tool.name === item.name && tool.id !== item.id)
          return new ApiError({
            status: 409,
            code: "name_taken",
            message: `A tool named ${String(item.name)} already exists`,
            details: { field: "name" },
          });
      return undefined;
    default:
      return undefined;
  }
}

/** Fills the fields that versions older than 1.2 lack, keeping the existing object's values on overwrite. */
function fullShape(
  kind: Kind,
  item: Record<string, unknown>,
  existing: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const defaults: Partial<Record<Kind, Record<string, unknown>>> = {
    agents: { tool_ids: [], version: 1, memory_enabled: false },
    sessions: { team_id: null },
    webhooks: { description: null, filters: {} },
  };
  return { ...defaults[kind], ...existing, ...item };
}

/**
 * Imports one raw item of `kind`, validated with `version`'s schema, values a
 * later version added accepted (an older client's archive carries what it was
 * answered, newer-values.ts); by the evolved server, tolerantly: its limits and
 * enum values have moved on, and it keeps its evolved fields. Returns what happened; it never throws for a bad item.
 */
export function importItem(
  account: Account,
  engine: SessionsEngine,
  version: ApiVersion,
  kind: Kind,
  raw: unknown,
  onConflict: OnConflict,
  evolve = false,
): ItemOutcome {
  const rawId =
    raw && typeof raw === "object" && typeof (raw as { id?: unknown }).id === "string"
      ? (raw as { id: string }).id
      : "";
  const schemaVersion = hasSchema(version, KIND_TABLE[kind].itemSchema) ? version : CURRENT_API_VERSION;
  const schema = schemaFor(schemaVersion, KIND_TABLE[kind].itemSchema);
  const parsed = evolve
    ? tolerant(schema as never as Parameters<typeof tolerant>[0]).safeParse(raw, PARSE_OPTIONS)
    : readCarried(schemaVersion, KIND_TABLE[kind].itemSchema, schema, raw, (item) => fullShape(kind, item, undefined));
  if (!parsed.success) return { kind: "failed", id: rawId, error: validationError(zodIssues(parsed.error as never)) };
  const item = (evolve ? withEvolvedFields(parsed.data, raw) : parsed.data) as Record<string, unknown> & { id: string };
  const collection = account.collection(kind);
  const existing = collection.get(item.id) as Record<string, unknown> | undefined;
  if (existing && onConflict === "skip") return { kind: "skipped" };
  if (existing && onConflict === "fail") {
    const message = `A ${KIND_TABLE[kind].singular} with id ${item.id} already exists`;
    return {
      kind: "failed",
      id: item.id,
      error: new ApiError({ status: 409, code: "already_exists", message, details: { id: item.id } }),
    };
  }
  const problem = missingReference(account, kind, item);
  if (problem) return { kind: "failed", id: item.id, error: problem };
  const { steps, ...rest } = fullShape(kind, item, existing);
  collection.put(rest as { id: string });
  if (kind === "sessions") {
    engine.forget(account, item.id);
    account.sessionExtras.delete(item.id);
    const extras = account.extras(item.id);
    for (const step of steps as v1_2.Step[]) extras.steps.insert(step);
  }
  if (kind === "webhooks") account.webhookVersions.set(item.id, version);
  // A webhook or trigger created here gets a secret, answered once as a create answers it; an overwrite keeps the old one.
  if ((kind === "webhooks" || kind === "triggers") && !account.secrets.has(item.id)) {
    const secret = newSecret();
    account.secrets.set(item.id, secret);
    return { kind: "imported", secret: { id: item.id, secret } };
  }
  return { kind: "imported" };
}

/**
 * Imports one item of an evolved server's own kind (`workflows` unless named):
 * any object with a string id, kept as it came (the evolved server knows its
 * shape; the SDK does not, and must carry it through untouched).
 */
export function importWorkflow(
  account: Account,
  raw: unknown,
  onConflict: OnConflict,
  kind: EvolvedKind = EVOLVED_KIND,
): ItemOutcome {
  const id =
    raw && typeof raw === "object" && typeof (raw as { id?: unknown }).id === "string"
      ? (raw as { id: string }).id
      : "";
  if (!id) return { kind: "failed", id, error: validationError([{ path: ["id"], message: "field required" }]) };
  const collection = workflows(account, kind.plural);
  if (collection.has(id) && onConflict === "skip") return { kind: "skipped" };
  if (collection.has(id) && onConflict === "fail")
    return {
      kind: "failed",
      id,
      error: new ApiError({
        status: 409,
        code: "already_exists",
        message: `A ${kind.singular} with id ${id} already exists`,
        details: { id },
      }),
    };
  collection.put(raw as { id: string });
  return { kind: "imported" };
}
