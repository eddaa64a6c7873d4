import { afterAll, beforeAll, expect, test } from "vitest";
import { ResonantClient, SyncClient } from "@resonantgenesis/sdk";
import { startFaultyChild } from "./harness.js";

// exportAll keeps the digits of a number a double cannot hold beside the archive's objects, for importAll to send
// as they came (docs/guarantees.md). A SyncClient's archive crosses a thread each way, as a copy of those objects.
let server: Awaited<ReturnType<typeof startFaultyChild>> | undefined;
beforeAll(async () => {
  server = await startFaultyChild();
}, 60_000);
afterAll(() => server?.stop());

const received = async (): Promise<string[]> => (await fetch(`${server!.baseURL}/v1.2/received`)).json();

test("an archive from SyncClient's exportAll goes back through its importAll with every digit, as ResonantClient's", async () => {
  const options = { apiKey: "rg_test_sk_x", baseURL: server!.baseURL, logLevel: "off" } as const;
  const async = new ResonantClient(options);
  await async.data.importAll(await async.data.exportAll());
  const sync = new SyncClient(options);
  try {
    sync.data.importAll(sync.data.exportAll());
  } finally {
    sync.close();
  }
  const [byAsync, bySync] = await received();
  expect(byAsync).toContain('"big":9007199254740993');
  expect(byAsync).toContain('"id30":123456789012345678901234567890');
  expect(bySync).toBe(byAsync);
}, 60_000);
