/**
 * What the fault tests share: the counting mock behind a fault proxy, the CLI
 * bound to the proxy, and the ground truth read from the mock directly (never
 * through the proxy), so a check cannot be fooled by the faults it checks.
 */
import { DEMO_API_KEY, type SeedCounts } from "@resonantgenesis/mock";
import { runCli, startCountingMock, tempDir, type CountingMock, type RunOptions } from "../helpers.js";
import {
  FAULT_KINDS,
  prng,
  startFaultProxy,
  type FaultKind,
  type FaultProxy,
  type FaultProxyOptions,
} from "./proxy.js";

/** The client's per-request timeout in the fault runs, in seconds; a held answer is held longer. */
export const TIMEOUT_S = 1;

/** A counting mock, a fault proxy in front of it, a temp dir, and the CLI through the proxy. */
export async function faultyAccount(seed: SeedCounts, proxyOptions: Omit<FaultProxyOptions, "target"> = {}) {
  const mock: CountingMock = await startCountingMock({ seed });
  const proxy: FaultProxy = await startFaultProxy({
    target: mock.url,
    holdMs: TIMEOUT_S * 1000 + 1500,
    ...proxyOptions,
  });
  const tmp = await tempDir();
  /** The CLI through the proxy, with the short timeout, as the account of `key`. */
  const cli = (args: readonly string[], key = DEMO_API_KEY, options: RunOptions = {}) =>
    runCli(["--timeout", String(TIMEOUT_S), ...args], {
      cwd: tmp.dir,
      ...options,
      env: { RESONANT_BASE_URL: proxy.baseURL, RESONANT_API_KEY: key, ...options.env },
    });
  /** The CLI straight to the mock: the fault-free reference. */
  const direct = (args: readonly string[], key = DEMO_API_KEY, options: RunOptions = {}) =>
    runCli(args, {
      cwd: tmp.dir,
      ...options,
      env: { RESONANT_BASE_URL: mock.baseURL, RESONANT_API_KEY: key, ...options.env },
    });
  /** The account's objects, kind by kind, as the mock exports them (without the export's time). */
  const accountOf = async (key: string): Promise<Record<string, unknown>> => {
    const res = await fetch(`${mock.baseURL}/v1.2/data/export`, { headers: { authorization: `Bearer ${key}` } });
    const doc = (await res.json()) as Record<string, unknown>;
    delete doc.exported_at;
    return doc;
  };
  /** How often the mock carried out each import batch since `since` (replays and refusals not counted). */
  const carriedOut = (since: number): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const s of mock.imports().slice(since)) counts.set(s.batch!, (counts.get(s.batch!) ?? 0) + 1);
    return counts;
  };
  /** Items the mock carried out in import calls since `since`. */
  const itemsCarriedOut = (since: number) =>
    mock
      .imports()
      .slice(since)
      .reduce((a, s) => a + (s.items ?? 0), 0);
  const close = async () => {
    await proxy.close();
    await mock.close();
    await tmp.remove();
  };
  return { mock, proxy, tmp, cli, direct, accountOf, carriedOut, itemsCarriedOut, close };
}

/** Every fault kind once, in an order drawn from `seed` (so a replay with FAULT_SEED replays the order too). */
export function everyKind(seed: number): FaultKind[] {
  const random = prng(seed ^ 0x5eed);
  const kinds = [...FAULT_KINDS];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds;
}

/** The same small rate for every kind. */
export function evenRates(rate: number): Record<FaultKind, number> {
  return Object.fromEntries(FAULT_KINDS.map((k) => [k, rate])) as Record<FaultKind, number>;
}
