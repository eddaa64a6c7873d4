/**
 * One runner at a time. The API has no compare-and-set, so the lease is a
 * race settled by order: a runner creates a lease (an account memory tagged
 * {@link LEASE_TAG}), reads every lease back, and the oldest live one wins;
 * the loser deletes its own and stops, naming who holds it and since when.
 * A lease expires `ttl` after the server created it, and the holder renews
 * it well before (a new lease first, then the old one deleted, so there is
 * never a moment without one). A lease whose holder is gone is taken over at
 * once: held by a process of this host that no longer runs (a `kill -9`, or
 * a signal whose run could not give it back), or another host's, expired. A
 * holder that may still be running is never taken over, `--resume` or not,
 * nor one of this host whose process runs, however long stopped: two runners
 * carrying out one journal would each send its writes.
 *
 * On Ctrl-C, SIGTERM or SIGHUP the lease is given back, best effort: from
 * the signal on no request of the run goes out (core/interrupt.ts's gate)
 * but the lease's delete, sent once the ledger records sent before the signal
 * have landed, so the next runner never reads a ledger that is about to
 * change. If they have not within the interrupt's wait, the lease is left to
 * be taken over as above.
 * @module
 */
import { hostname } from "node:os";
import { NotFoundError, type ResonantClient } from "@resonantgenesis/sdk";
import { letThrough, onInterrupt } from "../core/interrupt.js";
import { CliError } from "../exit.js";
import { running } from "../fs/run-lock.js";

/** The tag of lease records. */
export const LEASE_TAG = "resonant:migrate:lease";

/** What a lease says about its holder. */
export interface LeaseHolder {
  type: "resonant.migration.lease";
  /** The run's id. */
  run: string;
  /** The holder's host and process. */
  host: string;
  pid: number;
  /** The command (`migrate up`). */
  command: string;
  /** Milliseconds after its creation that the lease expires. */
  ttl_ms: number;
  /** When the holder's first lease was created (renewals keep it, so a renewed lease keeps its place). */
  since?: string;
}

interface Seen {
  id: string;
  createdAt: string;
  holder: LeaseHolder;
}

/** The default lease life: long enough to never lapse between renewals, short enough that a crash frees the account soon. */
export const DEFAULT_LEASE_TTL_MS = 5 * 60_000;

function ttlFromEnv(): number {
  const n = Number(process.env.RESONANT_MIGRATE_LEASE_TTL_MS);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_LEASE_TTL_MS;
}

/** A held lease. `release` it at the end (a crash leaves it to expire). */
export class Lease {
  readonly #client: ResonantClient<"1.2">;
  readonly #holder: LeaseHolder;
  #id: string;
  #timer: NodeJS.Timeout | undefined;
  /** Every lease memory this holder made (a renewal cut by a signal may leave two). */
  readonly #held = new Set<string>();
  #renewing: Promise<void> | undefined;
  #stopped = false;
  readonly #forget: () => void;

  private constructor(client: ResonantClient<"1.2">, holder: LeaseHolder, id: string, idle: () => Promise<void>) {
    this.#client = client;
    this.#holder = holder;
    this.#id = id;
    this.#held.add(id);
    this.#forget = onInterrupt(() => this.#interrupted(idle));
  }

  static async #all(client: ResonantClient<"1.2">): Promise<Seen[]> {
    const out: Seen[] = [];
    for await (const memory of client.memories.list({ tag: LEASE_TAG, limit: 100 })) {
      try {
        const holder = JSON.parse(memory.content) as LeaseHolder;
        if (holder.type === "resonant.migration.lease")
          out.push({ id: memory.id, createdAt: memory.created_at, holder });
      } catch {
        // not a lease of ours
      }
    }
    return out;
  }

  /**
   * Takes the lease or throws (exit 1) naming its holder. Leases whose holder
   * is gone (expired, or a dead process of this host) do not count; `warn`
   * says which were taken over. Whether the run id is the one being resumed
   * does not matter: a `--resume` started while its run still lives must wait.
   */
  static async acquire(
    client: ResonantClient<"1.2">,
    run: string,
    command: string,
    warn: (message: string) => void,
    /** Settles once the ledger records being written have landed: a signal gives the lease back only then. */
    idle: () => Promise<void>,
  ): Promise<Lease> {
    const holder: LeaseHolder = {
      type: "resonant.migration.lease",
      run,
      host: hostname(),
      pid: process.pid,
      command,
      ttl_ms: ttlFromEnv(),
    };
    const mine = await client.memories
      .create({ content: JSON.stringify(holder), tags: [LEASE_TAG] })
      .catch((error: unknown) => {
        // The SDK's words name the request, not why a migration makes it: a key that may write agents but not
        // memories would read as refused for the migration's own writes.
        throw new CliError(
          `cannot take the migration lease (an account memory tagged ${LEASE_TAG}; the ledger is kept in memories too): ${error instanceof Error ? error.message : String(error)}; nothing was written`,
          { cause: error },
        );
      });
    // Held from here, as far as a signal is concerned: the memory exists, so a Ctrl-C from now on deletes it.
    const lease = new Lease(client, { ...holder, since: mine.created_at }, mine.id, idle);
    try {
      // The server's clock, which stamped every lease: this host's may be minutes off it, and then would take a
      // live holder's lease for expired (or keep a dead one's far too long).
      const now = Number.isNaN(Date.parse(mine.created_at)) ? Date.now() : Date.parse(mine.created_at);
      const all = await Lease.#all(client);
      const expired = (s: Seen) => Date.parse(s.createdAt) + s.holder.ttl_ms < now;
      // A pid is only meaningful on the host that recorded it: another host's holder is gone only once expired.
      const here = (s: Seen) => s.holder.host === holder.host;
      const dead = (s: Seen) => here(s) && !running(s.holder.pid);
      // A holder of this host whose process still runs keeps its lease, expired or not: one stopped (Ctrl-Z, a
      // suspended laptop) past its lease's life carries on when woken, and two runners would each send writes.
      const stale = all.filter((s) => s.id !== mine.id && (dead(s) || (expired(s) && !here(s))));
      const live = all
        .filter((s) => !stale.includes(s))
        .sort((a, b) => {
          const x = a.holder.since ?? a.createdAt;
          const y = b.holder.since ?? b.createdAt;
          return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
        });
      const winner = live[0];
      if (winner && winner.id !== mine.id && winner.holder.run !== run) {
        const h = winner.holder;
        const expires = new Date(Date.parse(winner.createdAt) + h.ttl_ms).toISOString();
        throw new CliError(
          `another migration holds the account: run ${h.run} (${h.command}, ${h.host} pid ${h.pid}) since ${h.since ?? winner.createdAt}; its lease expires at ${expires}. Nothing was written: wait for it to end (a run killed on another host frees the account when its lease expires), then run again (\`--resume\` if it was cut while writing)`,
        );
      }
      // Leases of crashed runs go once the account is ours; one per run is named (a renewal can leave two).
      const named = new Set<string>();
      for (const s of stale) {
        await client.memories.delete(s.id).catch(() => undefined);
        if (named.has(s.holder.run) || s.holder.run === run) continue;
        named.add(s.holder.run);
        warn(
          `took over the lease of run ${s.holder.run} (${s.holder.command}, ${s.holder.host} pid ${s.holder.pid}): ${dead(s) ? "that process is gone" : "it expired"}`,
        );
      }
    } catch (error) {
      // Lost, or the leases could not be read: ours goes, not left to lapse.
      await lease.release();
      throw error;
    }
    lease.#schedule();
    return lease;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(
      () => {
        this.#renewing = this.#renew();
      },
      Math.max(1000, this.#holder.ttl_ms / 3),
    );
    this.#timer.unref();
  }

  async #renew(): Promise<void> {
    try {
      const next = await this.#client.memories.create({ content: JSON.stringify(this.#holder), tags: [LEASE_TAG] });
      this.#held.add(next.id);
      const old = this.#id;
      this.#id = next.id;
      await this.#client.memories.delete(old).catch(() => undefined);
      this.#held.delete(old);
    } catch {
      // Tried again at the next turn: a renewal runs beside the run, whose own writes meet what failed it and
      // stop it with one line. Thrown here, nothing awaited it and Node ended the process with a stack trace.
    } finally {
      this.#schedule();
    }
  }

  #stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#forget();
  }

  /** Gives the account back. */
  async release(): Promise<void> {
    this.#stop();
    // A renewal on its way creates a lease after this one is deleted: waited for, so that one goes too.
    await this.#renewing?.catch(() => undefined);
    for (const id of this.#held) await this.#client.memories.delete(id).catch(() => undefined);
  }

  /** On a signal: waits for the ledger records (and a renewal) sent before it, then deletes the lease; answers a note. */
  async #interrupted(idle: () => Promise<void>): Promise<string> {
    // Called at the signal, before any await: `idle` waits for the appends under way then, no later one (the gate
    // holds those unsent).
    const landed = idle();
    this.#stop();
    const pass = letThrough(
      ({ method, url }) => method === "DELETE" && [...this.#held].some((id) => url.endsWith(`/memories/${id}`)),
    );
    try {
      await landed;
      await this.#renewing?.catch(() => undefined);
      let given = true;
      for (const id of this.#held)
        await this.#client.memories.delete(id).catch((error: unknown) => {
          if (!(error instanceof NotFoundError)) given = false;
        });
      return given ? "the lease was given back" : "the lease could not be given back (the next run takes it over)";
    } finally {
      pass();
    }
  }
}
