/**
 * The SDK itself through the fault proxy: `client.data.exportAll()` and
 * `importAll()` meet each fault kind once and still end equal to the source,
 * checked against the mock directly. Replay a run with FAULT_SEED=<seed>.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResonantClient } from "@resonantgenesis/sdk";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { FAULT_KINDS, seedFromEnv } from "./proxy.js";
import { faultyAccount, TIMEOUT_S } from "./setup.js";

const SEED = { tools: 3, agents: 60, teams: 2, sessions: 15, memories: 40, triggers: 2, webhooks: 2 };

let env: Awaited<ReturnType<typeof faultyAccount>>;
let source: Record<string, unknown>;

beforeAll(async () => {
  env = await faultyAccount(SEED, { seed: seedFromEnv() });
  source = await env.accountOf(DEMO_API_KEY);
});
afterAll(() => env.close());

const through = (apiKey: string) =>
  new ResonantClient({ apiKey, baseURL: env.proxy.baseURL, maxRetries: 4, timeout: TIMEOUT_S * 1000, logLevel: "off" });
const why = () => env.proxy.describe();

describe("the SDK through faults", () => {
  // Each kind on its own call, so a failure names the one kind it met.
  for (const kind of FAULT_KINDS) {
    it(`exportAll meets '${kind}' and answers the whole account`, async () => {
      const before = env.proxy.counts[kind];
      env.proxy.setScript([kind]);
      const archive = (await through(DEMO_API_KEY).data.exportAll()) as unknown as Record<string, unknown>;
      expect(env.proxy.counts[kind], why()).toBe(before + 1);
      const { exported_at: _t, ...rest } = archive;
      expect(rest, why()).toEqual(source);
    });

    it(`importAll meets '${kind}' and the target ends equal to the source, each batch carried out once`, async () => {
      const archive = await new ResonantClient({ apiKey: DEMO_API_KEY, baseURL: env.mock.baseURL }).data.exportAll();
      const key = env.mock.api.createAccount().key;
      const since = env.mock.imports().length;
      const before = env.proxy.counts[kind];
      env.proxy.setScript([kind]);
      const report = await through(key).data.importAll(archive);
      expect(env.proxy.counts[kind], why()).toBe(before + 1);
      expect(report.failed, why()).toEqual([]);
      const total = Object.values(SEED).reduce((a, b) => a + b, 0);
      const sum = (r: Record<string, number | undefined>) => Object.values(r).reduce<number>((a, b) => a + (b ?? 0), 0);
      expect(sum(report.imported) + sum(report.skipped), why()).toBe(total);
      expect(
        [...env.carriedOut(since).values()].every((n) => n === 1),
        why(),
      ).toBe(true);
      expect(env.itemsCarriedOut(since), why()).toBe(total);
      expect(await env.accountOf(key), why()).toEqual(source);
    });
  }
});
