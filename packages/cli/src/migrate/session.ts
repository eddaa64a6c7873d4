/**
 * What every `migrate` command starts from: the chain of the folder, the
 * account (through the SDK, at the chosen API version) and its ledger
 * (memories, so always through a 1.2 client on the same key and URL).
 * @module
 */
import { randomUUID } from "node:crypto";
import type { ResonantClient } from "@resonantgenesis/sdk";
import { makeClient, type GlobalOptions } from "../context.js";
import type { Reporter } from "../ui/reporter.js";
import { Account } from "./account.js";
import { buildChain, type Chain } from "./chain.js";
import { currentIndex, isApplied, Ledger, latestByRevision, type LedgerRecord, type StoredRecord } from "./ledger.js";
import { loadMigrations } from "./loader.js";

/** The folder's chain, the account, the ledger as read now. */
export interface Session {
  dir: string;
  /** Where journals go (the folder itself, or a temporary one for \`migrate test\`). */
  journalDir: string;
  chain: Chain;
  account: Account;
  ledgerClient: ResonantClient<"1.2">;
  ledger: Ledger;
  records: StoredRecord[];
  latest: Map<string, LedgerRecord>;
  current: number;
  run: string;
  reporter: Reporter;
  globals: GlobalOptions;
}

/** Loads and checks the chain (before any request), then reads the ledger. */
export async function openSession(
  dir: string,
  globals: GlobalOptions,
  reporter: Reporter,
  clients?: { account: ResonantClient; ledger: ResonantClient<"1.2"> },
): Promise<Session> {
  const chain = buildChain(await loadMigrations(dir), dir);
  const client = clients?.account ?? makeClient(globals, reporter).client;
  const ledgerClient =
    clients?.ledger ??
    (client.apiVersion === "1.2"
      ? (client as ResonantClient<"1.2">)
      : (makeClient(globals, reporter, { apiVersion: "1.2" }).client as ResonantClient<"1.2">));
  const ledger = new Ledger(ledgerClient);
  const records = await ledger.read();
  const latest = latestByRevision(records);
  // Another checkout's revisions (or files removed since): current, up and down see only this folder's chain.
  const known = new Set(chain.map((m) => m.revision));
  const strangers = [...latest]
    .filter(([revision, r]) => !known.has(revision) && isApplied(r))
    .map(([revision]) => revision);
  if (strangers.length > 0)
    reporter.warn(
      `the account's ledger records ${strangers.join(", ")} as applied, which ${dir} does not hold (another checkout, or files removed?): this run sees only the revisions in ${dir}`,
    );
  return {
    dir,
    journalDir: dir,
    chain,
    account: new Account(client),
    ledgerClient,
    ledger,
    records,
    latest,
    current: currentIndex(chain, latest),
    run: randomUUID().slice(0, 8),
    reporter,
    globals,
  };
}

/** Reads the ledger again (after a run). */
export async function refresh(session: Session): Promise<void> {
  session.records = await session.ledger.read();
  session.latest = latestByRevision(session.records);
  session.current = currentIndex(session.chain, session.latest);
}
