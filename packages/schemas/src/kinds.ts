/**
 * The one table of which API version has which kind of object, and how each
 * kind is exported and imported. No zod here, so the SDK, the mock and the
 * CLI read it at start-up without loading any schema; everything else (the
 * SDK's resources per version, its export and import, the mock's routes, the
 * CLI's archives) is derived from it. Adding a kind or a version starts here:
 * see docs/adding-a-version-or-kind.md.
 * @module
 */
import { CURRENT_API_VERSION, versionAtLeast, type ApiVersion } from "./versions.js";

/** What the API has of one kind. Schema names are those of the version modules (`v1_2.Agent`...). */
export interface KindInfo {
  /** Its record name in the NDJSON export (`agent`). */
  readonly singular: string;
  /** The first version that has the kind at all (its resource and its list). */
  readonly since: ApiVersion;
  /** The first version with `GET /<kind>/export`. */
  readonly exportSince: ApiVersion;
  /** The first version with `POST /<kind>/import`. */
  readonly importSince: ApiVersion;
  /** The schema of one exported (and importable) object. */
  readonly itemSchema: string;
  /** The schema of one page of `GET /<kind>/export`. */
  readonly exportPage: string;
  /** The schema of the body of `POST /<kind>/import`. */
  readonly importRequest: string;
  /** The schema of one page of the kind's list (`GET /<kind>`). */
  readonly list: string;
}

/** Every kind, in dependency order (each may name only kinds before it), and what each version has of it. */
export const KIND_TABLE = {
  /** Custom tools. */
  tools: kind("tool", "Tool", { since: "1.1", exportSince: "1.1", importSince: "1.2" }),
  /** Agents. */
  agents: kind("agent", "Agent", { since: "1.0", exportSince: "1.0", importSince: "1.0" }),
  /** Teams of agents. */
  teams: kind("team", "Team", { since: "1.2", exportSince: "1.2", importSince: "1.2" }),
  /** Sessions, exported with their steps. */
  sessions: kind("session", "Session", {
    since: "1.0",
    exportSince: "1.0",
    importSince: "1.2",
    itemSchema: "ExportedSession",
  }),
  /** Memories. */
  memories: kind("memory", "Memory", { since: "1.2", exportSince: "1.2", importSince: "1.2" }),
  /** Webhook triggers, exported without secrets. */
  triggers: kind("trigger", "Trigger", { since: "1.2", exportSince: "1.2", importSince: "1.2" }),
  /** Outbound webhooks, exported without secrets (before 1.2, an archive takes them from the list). */
  webhooks: kind("webhook", "Webhook", { since: "1.0", exportSince: "1.2", importSince: "1.2" }),
} as const satisfies Record<string, KindInfo>;

/** One kind of exportable object (plural, as in paths and archives). */
export type Kind = keyof typeof KIND_TABLE;

/** Every kind in dependency order: tools, agents, teams, sessions, memories, triggers, webhooks. */
export const KINDS = Object.keys(KIND_TABLE) as readonly Kind[];

/** The singular record names of the NDJSON export, per kind. */
export const RECORD_KIND = Object.fromEntries(KINDS.map((k) => [k, KIND_TABLE[k].singular])) as {
  readonly [K in Kind]: (typeof KIND_TABLE)[K]["singular"];
};

/**
 * The kind whose NDJSON records are named `recordKind` (`agent` → `agents`), the inverse of {@link RECORD_KIND};
 * undefined for a newer server's record kind, whose archive name its export's end line gives.
 */
export function kindOfRecord(recordKind: string): Kind | undefined {
  return KINDS.find((kind) => KIND_TABLE[kind].singular === recordKind);
}

/** The kinds an archive of `version` holds, in dependency order: those the version has (docs/protocol.md section 6 leaves the others out). */
export function kindsOf(version: ApiVersion): Kind[] {
  return KINDS.filter((kind) => versionAtLeast(version, KIND_TABLE[kind].since));
}

/** True for a kind of the table; any other name is a newer server's kind. */
export function isKind(kind: string): kind is Kind {
  return Object.hasOwn(KIND_TABLE, kind);
}

/**
 * The first version with the kind's import. A newer server's kind is taken to
 * come with `/<kind>/import` as the current version's kinds do.
 */
export function importSinceOf(kind: string): ApiVersion {
  return isKind(kind) ? KIND_TABLE[kind].importSince : CURRENT_API_VERSION;
}

/** Whether `version` has the kind's import (`POST /<kind>/import`). */
export function importableIn(version: ApiVersion, kind: string): boolean {
  return versionAtLeast(version, importSinceOf(kind));
}

/**
 * Dependency order for import: the table's kinds in its order, then a newer
 * server's kinds in the order they came (they can only name known kinds, or
 * each other). Each name once.
 */
export function importOrder(kinds: Iterable<string>): string[] {
  const all = [...new Set(kinds)];
  return [...KINDS.filter((kind) => all.includes(kind)), ...all.filter((kind) => !isKind(kind))];
}

/** A kind's row; its schema names are built from its name: `Agent` + `ExportPage`. */
function kind<
  const S extends string,
  const N extends string,
  const W extends { since: ApiVersion; exportSince: ApiVersion; importSince: ApiVersion; itemSchema?: string },
>(singular: S, name: N, versions: W) {
  return {
    singular,
    ...versions,
    itemSchema: versions.itemSchema ?? name,
    exportPage: `${name}ExportPage`,
    importRequest: `${name}ImportRequest`,
    list: `${name}List`,
  } as const;
}
