/**
 * One runner at a time. The API has no compare-and-set, so the lease is a
 * race settled by order: a runner creates a lease (an account memory tagged
 * {@link LEASE_TAG}), reads every lease back, and the oldest live one wins;
 * the loser deletes its own and stops, naming who holds it and since when.
 * A lease expires `ttl` after the server created it, and the holder renews
 * it well before (a new lease first, then the old one deleted, so there is
 * never a moment without one). A lease whose holder is gone is taken over at
 * once: expired, or held by a process of this host that no longer runs (a
 * `kill -9`, a Ctrl-C, which cannot wait for the lease's delete). A holder that
 * may still be running is never taken over, `--resume` or not: two runners
 * carrying out one journal would each send its writes.
 * @module
 */
import { hostname } from "node:os";
import type { ResonantClient } from "@resonantgenesis/sdk";
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

  private constructor(client: ResonantClient<"1.2">, holder: LeaseHolder, id: string) {
    this.#client = client;
    this.#holder = holder;
    this.#id = id;
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
  ): Promise<Lease> {
    const holder: LeaseHolder = {
      type: "resonant.migration.lease",
      run,
      host: hostname(),
      pid: process.pid,
      command,
      ttl_ms: ttlFromEnv(),
    };
    const mine = await client.memories.create({ content: JSON.stringify(holder), tags: [LEASE_TAG] });
    const now = Date.now();
    const all = await Lease.#all(client);
    const expired = (s: Seen) => Date.parse(s.createdAt) + s.holder.ttl_ms < now;
    // A pid is only meaningful on the host that recorded it: another host's holder is gone only once expired.
    const dead = (s: Seen) => s.holder.host === holder.host && !running(s.holder.pid);
    const stale = all.filter((s) => s.id !== mine.id && (expired(s) || dead(s)));
    const live = all
      .filter((s) => !stale.includes(s))
      .sort((a, b) => {
        const x = a.holder.since ?? a.createdAt;
        const y = b.holder.since ?? b.createdAt;
        return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      });
    const winner = live[0];
    if (winner && winner.id !== mine.id && winner.holder.run !== run) {
      await client.memories.delete(mine.id).catch(() => undefined);
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
    const lease = new Lease(client, { ...holder, since: mine.created_at }, mine.id);
    lease.#schedule();
    return lease;
  }

  #schedule(): void {
    this.#timer = setTimeout(() => void this.#renew(), Math.max(1000, this.#holder.ttl_ms / 3));
    this.#timer.unref();
  }

  async #renew(): Promise<void> {
    try {
      const next = await this.#client.memories.create({ content: JSON.stringify(this.#holder), tags: [LEASE_TAG] });
      const old = this.#id;
      this.#id = next.id;
      await this.#client.memories.delete(old).catch(() => undefined);
    } finally {
      this.#schedule();
    }
  }

  /** Gives the account back. */
  async release(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#client.memories.delete(this.#id).catch(() => undefined);
  }
}
