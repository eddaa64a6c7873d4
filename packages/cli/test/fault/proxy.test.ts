/**
 * The fault proxy's bound on faults in a row: what lets faults.test.ts check what faults must not change
 * whatever the seed. A plain loopback server behind it; every request would be faulted but for the bound.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFaultProxy, type FaultProxy } from "./proxy.js";

const server = createServer((_req, res) => res.end("ok"));
let proxy: FaultProxy;

beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  proxy = await startFaultProxy({ target: `http://127.0.0.1:${port}`, rates: { "500": 1 }, maxRun: 2, log: () => {} });
});
afterAll(async () => {
  await proxy.close();
  server.close();
});

const statuses = async (path: string, n: number, key?: string) => {
  const seen: number[] = [];
  const headers: Record<string, string> = key === undefined ? {} : { "idempotency-key": key };
  for (let i = 0; i < n; i++) seen.push((await fetch(`${proxy.url}${path}`, { method: "POST", headers })).status);
  return seen;
};

it("faults one request at most maxRun times in a row, then lets it through, counting each request apart", async () => {
  expect(await statuses("/a", 4)).toEqual([500, 500, 200, 500]);
  // Another path, and another key on the same path, are other requests with runs of their own.
  expect(await statuses("/b", 1)).toEqual([500]);
  expect(await statuses("/a", 3, "k1")).toEqual([500, 500, 200]);
  expect(await statuses("/a", 1, "k2")).toEqual([500]);
});
