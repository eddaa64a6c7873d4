/**
 * The ledger: which revisions ran on an account, kept in the account itself
 * so a second operator or a CI job sees the same head. It uses the
 * protocol's existing resources (no new endpoint): one account-level memory
 * per applied, partial or reverted revision, tagged {@link LEDGER_TAG}, its
 * content a JSON {@link LedgerRecord}. Memories are append-only, which suits
 * a ledger: the state of a revision is that of its latest record.
 * docs/protocol.md ("Migration ledger") states the convention.
 * @module
 */
import type { ResonantClient } from "@resonantgenesis/sdk";
import { CliError } from "../exit.js";
import type { Chain } from "./chain.js";
import type { LoadedMigration } from "./loader.js";

/** The tag of ledger records. */
export const LEDGER_TAG = "resonant:migrate";
/** Every tag starting with this is the migration tool's own, hidden from migrations' `ctx.list("memories")`. */
export const RESERVED_TAG_PREFIX = "resonant:migrate";

/** A revision's state in the ledger. */
export type LedgerState = "applied" | "partial" | "reverted";

/** One ledger record (a memory's content). */
export interface LedgerRecord {
  /** Always `resonant.migration`: tells a ledger record from any other memory content. */
  type: "resonant.migration";
  /** The revision. */
  revision: string;
  /** `sha256:<hex>` of the migration file when it ran. */
  checksum: string;
  /** The API version it ran against. */
  api_version: string;
  /** Its state after this run. */
  state: LedgerState;
  /** What ran: up, down, or a stamp (recorded without running). */
  direction: "up" | "down" | "stamp";
  /** When (ISO-8601, the runner's clock). */
  at: string;
  /** The migration's message. */
  message: string;
  /** The run's id (journal and lease name it too). */
  run: string;
  /** The backup written before the run's first write, when one was: an absolute path (older records: relative to the run's directory). */
  backup?: string | null;
  /**
   * The checksum the file had when it ran, on a record that accepts a later file (`migrate stamp <rev>
   * --accept-checksum`): the same record as the run's, its `checksum` the file's now.
   */
  accepted_from?: string;
}

/** A record with its memory's id and creation time (the server's order). */
export interface StoredRecord extends LedgerRecord {
  memoryId: string;
  createdAt: string;
}

/** A revision's latest state per the ledger, or `pending` when it never ran. */
export type RevisionState = LedgerState | "pending";

/** Parses a memory's content; undefined for anything that is not a ledger record. */
function parse(content: string): LedgerRecord | undefined {
  try {
    const value = JSON.parse(content) as Partial<LedgerRecord>;
    return value.type === "resonant.migration" && typeof value.revision === "string" && typeof value.state === "string"
      ? (value as LedgerRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Reads and appends ledger records through a 1.2 client (memories are a 1.2 kind). */
export class Ledger {
  readonly #client: ResonantClient<"1.2">;
  /** Appends under way (a lease given back on a signal waits for those sent before it). */
  readonly #writing = new Set<Promise<unknown>>();

  constructor(client: ResonantClient<"1.2">) {
    this.#client = client;
  }

  /** Every record, oldest first. */
  async read(): Promise<StoredRecord[]> {
    const out: StoredRecord[] = [];
    try {
      for await (const memory of this.#client.memories.list({ tag: LEDGER_TAG, limit: 100 })) {
        if (memory.agent_id) continue;
        const record = parse(memory.content);
        if (record) out.push({ ...record, memoryId: memory.id, createdAt: memory.created_at });
      }
    } catch (error) {
      throw new CliError(
        `cannot read the migration ledger (account memories tagged ${LEDGER_TAG}): ${(error as Error).message}`,
        { cause: error },
      );
    }
    return out;
  }

  /** Appends one record. */
  async append(record: Omit<LedgerRecord, "type" | "at">): Promise<void> {
    const full: LedgerRecord = {
      type: "resonant.migration",
      at: new Date().toISOString(),
      ...record,
      message: record.message.slice(0, 500),
    };
    const created = this.#client.memories.create({
      content: JSON.stringify(full),
      tags: [LEDGER_TAG],
      metadata: { revision: record.revision, state: record.state },
    });
    this.#writing.add(created);
    try {
      await created;
    } finally {
      this.#writing.delete(created);
    }
  }

  /** Settles once every append under way now has landed or failed (appends begun later are not waited for). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.#writing]);
  }
}

/** The latest record of each revision. */
export function latestByRevision(records: readonly LedgerRecord[]): Map<string, LedgerRecord> {
  const out = new Map<string, LedgerRecord>();
  for (const r of records) out.set(r.revision, r);
  return out;
}

/** True when a revision's latest state holds its changes (wholly or in part). */
export function isApplied(record: LedgerRecord | undefined): boolean {
  return record !== undefined && (record.state === "applied" || record.state === "partial");
}

/** The index in `chain` of the current revision (the last one applied), -1 at base. */
export function currentIndex(chain: Chain, latest: Map<string, LedgerRecord>): number {
  let at = -1;
  chain.forEach((m, i) => {
    if (isApplied(latest.get(m.revision))) at = i;
  });
  return at;
}

/** True when the file of an applied revision is not the one that ran (a stamp ran nothing, so it attests no file). */
export function drifted(m: LoadedMigration, r: LedgerRecord | undefined): boolean {
  return isApplied(r) && r!.direction !== "stamp" && r!.checksum !== m.checksum;
}

/**
 * Refuses to run when files of applied revisions changed since they ran (their checksums differ from the ledger's),
 * naming every one and the way to accept a cosmetic change; `warn` only says so instead (`migrate test`, on a copy).
 * `--force` does not lift it: it means one thing, letting `down` overwrite objects changed since a migration.
 */
export function checkDrift(
  chain: Chain,
  latest: Map<string, LedgerRecord>,
  options: { refuse: boolean; force: boolean },
  warn: (message: string) => void,
): void {
  const changed = chain.filter((m) => drifted(m, latest.get(m.revision)));
  if (changed.length === 0) return;
  const lines = changed.map(
    (m) =>
      `${m.file} changed after revision ${m.revision} was applied (ledger ${latest.get(m.revision)!.checksum.slice(0, 19)}..., file ${m.checksum.slice(0, 19)}...)`,
  );
  if (!options.refuse) {
    for (const line of lines) warn(`${line}; going on (a test on a copy)`);
    return;
  }
  const accept = changed.map((m) => `\`resonant migrate stamp ${m.revision} --accept-checksum\``).join(", ");
  const force = options.force
    ? " (--force no longer accepts a changed file: it only lets down overwrite objects changed since a migration)"
    : "";
  throw new CliError(
    `${lines.join("; ")}: put the file back as it ran, or, if the change is only cosmetic (a comment, formatting), accept the file as it is now with ${accept}${force}; nothing was run`,
  );
}

/** The records of applied revisions that `chain` does not hold (another checkout's, or files removed since). */
export function strangers(chain: Chain, latest: Map<string, LedgerRecord>): LedgerRecord[] {
  const known = new Set(chain.map((m) => m.revision));
  return [...latest.values()].filter((r) => !known.has(r.revision) && isApplied(r));
}
