import { expect, test } from "vitest";
import { type ApiVersion, ResonantClient, UnsupportedFeatureError } from "@resonantgenesis/sdk";

// docs/sdk.md's resource table, written out: each resource and call "present only on the API versions that
// have it — at run time [...] an UnsupportedFeatureError naming the version that has it". The kinds-table
// contract test walks the schemas' own KIND_TABLE; this one reads the promise from the text.
type Call = (c: ResonantClient<"1.2">) => unknown;
const first = async (items: AsyncIterable<unknown>) => {
  for await (const _ of items) return;
};
/** [call, the version the table gives it, the call]. */
const CALLS: [string, ApiVersion, Call][] = [
  ["agents.list", "1.0", (c) => c.agents.list()],
  ["agents.export", "1.0", (c) => first(c.agents.export())],
  ["agents.import", "1.0", (c) => c.agents.import({ agents: [] })],
  ["sessions.list", "1.0", (c) => c.sessions.list()],
  ["sessions.export", "1.0", (c) => first(c.sessions.export())],
  ["sessions.steps.list", "1.0", (c) => c.sessions.steps.list("s")],
  ["sessions.stream", "1.1", (c) => first(c.sessions.stream({ agent_id: "a", goal: "g" }))],
  ["sessions.follow", "1.1", (c) => first(c.sessions.follow("s"))],
  ["sessions.import", "1.2", (c) => c.sessions.import({ sessions: [] })],
  ["webhooks.list", "1.0", (c) => c.webhooks.list()],
  ["webhooks.export", "1.2", (c) => first(c.webhooks.export())],
  ["webhooks.import", "1.2", (c) => c.webhooks.import({ webhooks: [] })],
  ["tools.list", "1.1", (c) => c.tools.list()],
  ["tools.export", "1.1", (c) => first(c.tools.export())],
  ["tools.import", "1.2", (c) => c.tools.import({ tools: [] })],
  ["teams.list", "1.2", (c) => c.teams.list()],
  ["memories.search", "1.2", (c) => c.memories.search({ query: "q" })],
  ["triggers.list", "1.2", (c) => c.triggers.list("a")],
  ["data.exportAll", "1.0", (c) => c.data.exportAll()],
  ["data.exportStream", "1.0", (c) => first(c.data.exportStream())],
];
const ORDER: ApiVersion[] = ["1.0", "1.1", "1.2"];
const CASES = CALLS.flatMap(([name, since, call]) =>
  ORDER.map((pinned) => [name, pinned, since, call] as [string, ApiVersion, ApiVersion, Call]),
);

test.each(CASES)("%s on %s (the table: %s+)", async (name, pinned, since, call) => {
  const sent: Request[] = [];
  // Whatever the server answers is beside the point: only whether the call is refused before it.
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Request(input, init));
    return new Response("{}", { status: 501, headers: { "content-type": "application/json" } });
  };
  const client = new ResonantClient({
    apiKey: "rg_test_sk_x",
    apiVersion: pinned,
    fetch,
    maxRetries: 0,
    logLevel: "off",
  });
  const outcome = await Promise.resolve()
    .then(() => call(client as unknown as ResonantClient<"1.2">))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (ORDER.indexOf(pinned) >= ORDER.indexOf(since)) {
    expect(outcome, name).not.toBeInstanceOf(UnsupportedFeatureError);
    expect(sent.length, name).toBeGreaterThan(0);
  } else {
    expect(outcome, name).toBeInstanceOf(UnsupportedFeatureError);
    // It names a version that has what is missing: the call's, or its resource's when that is missing first.
    const named = /needs API version (1\.\d)/.exec((outcome as UnsupportedFeatureError).message)?.[1] as ApiVersion;
    expect(ORDER.indexOf(named)).toBeGreaterThan(ORDER.indexOf(pinned));
    expect(ORDER.indexOf(named)).toBeLessThanOrEqual(ORDER.indexOf(since));
    expect(sent).toHaveLength(0);
  }
});
