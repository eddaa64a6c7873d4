// The Node entry's extra name, as the `node` condition gives it (node16 and
// nodenext resolution; a bundler-resolution project imports it from
// "@resonantgenesis/sdk/sync").
import { SyncClient } from "@resonantgenesis/sdk";

export function syncNames(): string[] {
  const client = new SyncClient({ apiKey: "rg_test_sk_x" });
  return client.agents.list().map((agent) => agent.name);
}
