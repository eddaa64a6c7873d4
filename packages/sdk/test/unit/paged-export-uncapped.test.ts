/**
 * `exportAll()` and `exportStream()` on API 1.0 and 1.1 walk each kind's export pages (up to 10,000 items
 * a page, the server's default), where 1.2 reads `/data/export`. Such a page is as large as its items,
 * and each item may be up to the API's 10 MiB body limit, so the 64 MiB cap on an answer that is not a
 * stream must not refuse it: docs/retries-and-timeouts.md says an export stream has no cap, and
 * docs/export-import.md that the whole account is read whatever its size. A page of seven sessions of
 * about 9.7 MB each (about 68 MB) used to fail the export with "past 64 MiB".
 */
import { describe, expect, test } from "vitest";
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import { type Fetch, ResonantClient } from "@resonantgenesis/sdk";

const SESSIONS = 7;
const PAD = "x".repeat(9_700_000);

function server() {
  const api = createMockApi({
    seed: { agents: 1, sessions: SESSIONS },
    versionStates: { "1.0": "deprecated", "1.1": "deprecated", "1.2": "current" },
  });
  // Each session grows by a field this SDK does not know: one page of them passes 64 MiB.
  api.faults.set({
    method: "GET",
    path: "/sessions/export",
    rewrite: (text) => text.replaceAll('"object":"session"', `"object":"session","x_pad":"${PAD}"`),
  });
  const fetch: Fetch = (input, init) => api.fetch(new Request(input, init));
  return fetch;
}

describe.each(["1.0", "1.1"] as const)("the whole account on API %s, from export pages past 64 MiB", (version) => {
  test("exportAll() and exportStream() read a sessions page larger than 64 MiB", { timeout: 60_000 }, async () => {
    const client = new ResonantClient({
      apiKey: DEMO_API_KEY,
      fetch: server(),
      apiVersion: version,
      logLevel: "off",
      maxRetries: 0,
    });
    const archive = (await client.data.exportAll()) as unknown as { sessions: { x_pad?: string }[] };
    expect(archive.sessions).toHaveLength(SESSIONS);
    expect(archive.sessions[0]!.x_pad).toHaveLength(PAD.length);

    let sessions = 0;
    for await (const record of client.data.exportStream({ withText: true })) {
      if (record.kind === "session") sessions += 1;
    }
    expect(sessions).toBe(SESSIONS);
  });
});
