/**
 * A mock on 127.0.0.1 whose export can send its second agent twice, as a server with that bug (or a live account
 * whose export pages moved) would: 1.2's NDJSON lines, with the end line counting both, and 1.1's export pages.
 * Only the demo account's answers are rewritten (a copy's target reads its own account too).
 */
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer, type MockServer } from "@resonantgenesis/mock/server";
import { afterAll, beforeAll } from "vitest";
import { tempDir } from "./helpers.js";

/** Starts the mock before the file's tests and stops it after; read its members inside tests. */
export function useServerSendingTwice() {
  const api = createMockApi({
    seed: { tools: 1, agents: 3, sessions: 2 },
    versionStates: { "1.0": "deprecated", "1.1": "deprecated" },
  });
  let mock: MockServer | undefined;
  let tmp: Awaited<ReturnType<typeof tempDir>> | undefined;
  let repeated = "";
  let agentLines = 0;
  beforeAll(async () => {
    mock = await startMockServer({ api });
    tmp = await tempDir();
  });
  afterAll(async () => {
    await mock?.close();
    await tmp?.remove();
  });

  const twiceInLines = (line: string, request: Request): string => {
    if (request.headers.get("authorization") !== `Bearer ${DEMO_API_KEY}`) return line;
    if (line.startsWith('{"kind":"end"')) {
      agentLines = 0; // the next export sends its second agent twice too
      const end = JSON.parse(line) as { counts: Record<string, number> };
      end.counts.agents! += 1;
      return JSON.stringify(end);
    }
    if (!line.startsWith('{"kind":"agent"') || ++agentLines !== 2) return line;
    repeated = (JSON.parse(line) as { data: { id: string } }).data.id;
    return `${line}\n${line}`;
  };
  const twiceInPage = (text: string): string => {
    const page = JSON.parse(text) as { agents: { id: string }[] };
    page.agents.push(page.agents[1]!);
    repeated = page.agents[1]!.id;
    return JSON.stringify(page);
  };

  return {
    api,
    get mock(): MockServer {
      return mock!;
    },
    get tmp() {
      return tmp!;
    },
    /** The id of the agent sent twice, as the last rewritten answer held it. */
    get repeated(): string {
      return repeated;
    },
    /** From now on, `version`'s export sends its second agent twice. */
    sendTwice(version: "1.1" | "1.2"): void {
      api.faults.reset();
      agentLines = 0;
      if (version === "1.2") api.faults.set({ method: "GET", path: "/data/export", rewriteLines: twiceInLines });
      else api.faults.set({ method: "GET", path: /\/v1\.1\/agents\/export/, rewrite: twiceInPage });
    },
    /** From now on, the export sends each object once. */
    sendOnce(): void {
      api.faults.reset();
    },
  };
}
