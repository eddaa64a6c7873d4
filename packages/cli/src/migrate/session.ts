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
import { CliError } from "../exit.js";
import { currentIndex, Ledger, latestByRevision, strangers, type LedgerRecord, type StoredRecord } from "./ledger.js";
import { loadMigrations } from "./loader.js";

/** The folder's chain, the account, the ledger as read now. */
export interface Session {
  dir: string;
  /** Where journals go (the folder itself, or a temporary one for \`migrate test\`). */
  journalDir: string;
  /** Set by \`migrate test\`: the runs are on its copy, so a cut one is not resumed (its journals go with the copy). */
  onCopy?: boolean;
  chain: Chain;
  account: Account;
  ledgerClient: ResonantClient<"1.2">;
  ledger: Ledger;
  records: StoredRecord[];
  latest: Map<string, LedgerRecord>;
  /** Revisions the ledger records as applied that the folder does not hold (another checkout's, or files removed). */
  unknown: LedgerRecord[];
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
  return {
    dir,
    journalDir: dir,
    chain,
    account: new Account(client),
    ledgerClient,
    ledger,
    records,
    latest,
    unknown: strangers(chain, latest),
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
  session.unknown = strangers(session.chain, session.latest);
  session.current = currentIndex(session.chain, session.latest);
}

const unknownNote = (session: Session) =>
  `the account's ledger records ${session.unknown.map((r) => r.revision).join(", ")} as applied, which ${session.dir} does not hold (another checkout, or files removed?)`;

/** For a command that only reads (`current`, `history`): says which applied revisions the folder lacks, if any. */
export function warnUnknownRevisions(session: Session): void {
  if (session.unknown.length > 0)
    session.reporter.warn(`${unknownNote(session)}: this shows only the revisions in ${session.dir}`);
}

/**
 * For a command that writes from the ledger (`up`, `down`, and `test` on its copy): refuses when it records applied
 * revisions the folder lacks, as Alembic refuses a revision it cannot locate. The account holds their changes, so
 * planning this folder's revisions on it would run beneath changes no file here describes, and `down` could not
 * undo them. `--force` does not lift it (it only lets `down` overwrite objects changed since a migration).
 */
export function refuseUnknownRevisions(session: Session, command: string): void {
  if (session.unknown.length === 0) return;
  const names = session.unknown.map((r) => r.revision).join(", ");
  throw new CliError(
    `${command}: ${unknownNote(session)}. Run it from the checkout whose ${session.dir} holds ${names}, or, if they are gone for good, record where the account really is with \`resonant migrate stamp <revision>\` (which records ${names} as reverted); nothing was written`,
  );
}
