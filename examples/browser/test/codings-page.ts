// The page of browser.test.ts's compressed-answers test: the SDK's two fetch roads (ResonantClient over ky,
// ResonantCore over fetch itself) in Chromium, each call run from the test through `page.evaluate(runCase)` against
// the test's loopback server, its outcome handed back as plain data.
import { Agents, APIConnectionError, Data, ResonantClient, ResonantCore } from "@resonantgenesis/sdk";

/** One call: which road, against which base URL (the server answers by its first path segment), with which retries. */
export interface Case {
  baseURL: string;
  road: "client" | "core";
  call: "get" | "exportStream";
  maxRetries: number;
}

/** What the call gave: its result as text, or its error (whether an APIConnectionError, its name and message). */
export type Outcome = { ok: string } | { connection: boolean; name: string; message: string };

async function runCase({ baseURL, road, call, maxRetries }: Case): Promise<Outcome> {
  // A key function: no static key in a page (dangerouslyAllowBrowser is the example page's, not this one's).
  const options = {
    apiKey: async () => "rg_test_sk_x",
    baseURL,
    apiVersion: "1.2",
    maxRetries,
    logLevel: "off",
    validateResponses: false,
  } as const;
  const core = road === "core" ? new ResonantCore(options) : undefined;
  const client = core ? { agents: core.use(Agents), data: core.use(Data) } : new ResonantClient(options);
  try {
    if (call === "get") return { ok: JSON.stringify(await client.agents.get("a1")) };
    const kinds: string[] = [];
    for await (const record of client.data.exportStream())
      kinds.push(record.kind === "agent" ? record.data.id : record.kind);
    return { ok: kinds.join(" ") };
  } catch (error) {
    const { name, message } = error as Error;
    return { connection: error instanceof APIConnectionError, name, message };
  }
}

(globalThis as { runCase?: typeof runCase }).runCase = runCase;
