import { readFileSync } from "node:fs";
import { describe, expect, test, vi } from "vitest";
import { APIConnectionError, ResonantClient, ResponseValidationError, type Fetch } from "@resonantgenesis/sdk";

// exportStream over a hand-made NDJSON body: how it ends, fails and lets go of the body.
const enc = new TextEncoder();
const END = {
  kind: "end",
  counts: { tools: 0, agents: 2, teams: 0, sessions: 0, memories: 0, triggers: 0, webhooks: 0 },
};
const line = (value: unknown) => enc.encode(`${JSON.stringify(value)}\n`);
const agent = (id: string) => ({ kind: "agent", data: { id } });

/** A client whose one answer is a body of `chunks`, then `ending` (close by default); `cancel` sees the body's cancel. */
function clientOver(chunks: Uint8Array[], options: { ending?: "close" | "error"; validate?: boolean } = {}) {
  const cancel = vi.fn();
  const queue = [...chunks];
  // Pulled one chunk at a time, so an error comes after the chunks before it were read.
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = queue.shift();
        if (chunk) controller.enqueue(chunk);
        else if (options.ending === "error") controller.error(new TypeError("terminated"));
        else controller.close();
      },
      cancel,
    },
    { highWaterMark: 0 },
  );
  const fetch: Fetch = async () =>
    new Response(body, { headers: { "content-type": "application/x-ndjson", "x-request-id": "req_1" } });
  const client = new ResonantClient({
    apiKey: "rg_test_sk_x",
    fetch,
    maxRetries: 0,
    logLevel: "off",
    validateResponses: options.validate ?? false,
  });
  return { client, cancel, body };
}

async function drain(client: ResonantClient): Promise<{ records: unknown[]; error: unknown }> {
  const records: unknown[] = [];
  try {
    for await (const record of client.data.exportStream()) records.push(record);
    return { records, error: undefined };
  } catch (error) {
    return { records, error };
  }
}

describe("data.exportStream", () => {
  test("yields every record and the end line, then lets go of the body", async () => {
    const { client, body } = clientOver([line(agent("a1")), line(agent("a2")), line(END)]);
    const { records, error } = await drain(client);
    expect(error).toBeUndefined();
    expect(records).toEqual([agent("a1"), agent("a2"), END]);
    expect(body.locked).toBe(false);
  });

  test("leaving the loop early cancels the body", async () => {
    const { client, cancel, body } = clientOver([line(agent("a1")), line(agent("a2")), line(END)]);
    for await (const _ of client.data.exportStream()) break;
    expect(cancel).toHaveBeenCalledOnce();
    expect(body.locked).toBe(false);
  });

  test("a body that fails mid-stream is an incomplete export", async () => {
    const { client } = clientOver([line(agent("a1"))], { ending: "error" });
    const { records, error } = await drain(client);
    expect(records).toEqual([agent("a1")]);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/cut.*incomplete/);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  test("a body that ends before its end line, or short of its counts, is an incomplete export", async () => {
    const cut = await drain(clientOver([line(agent("a1"))]).client);
    expect(cut.error).toBeInstanceOf(APIConnectionError);
    expect((cut.error as Error).message).toMatch(/before its end line/);
    const short = await drain(clientOver([line(agent("a1")), line(END)]).client);
    expect(short.error).toBeInstanceOf(APIConnectionError);
    expect((short.error as Error).message).toMatch(/1 records arrived, its end line counts 2/);
  });

  test("more records than the end line counts is an answer that contradicts itself, not an incomplete export", async () => {
    const { records, error } = await drain(
      clientOver([line(agent("a1")), line(agent("a2")), line(agent("a3")), line(END)]).client,
    );
    expect(records).toEqual([agent("a1"), agent("a2"), agent("a3")]);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as Error).message).toMatch(/end\.counts: 3 records arrived, its end line counts 2: more records/);
    expect((error as Error).message).not.toMatch(/incomplete/);
  });

  test("records of one kind counted as another's, with the total right, are refused naming the kinds", async () => {
    const shifted = { kind: "end", counts: { ...END.counts, tools: 1, agents: 1 } };
    const { records, error } = await drain(clientOver([line(agent("a1")), line(agent("a2")), line(shifted)]).client);
    expect(records).toEqual([agent("a1"), agent("a2")]);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as Error).message).toMatch(/end\.counts: records of one kind counted as another's/);
    expect((error as Error).message).toContain("agents: 2 arrived, counted 1");
    expect((error as Error).message).toContain("tools: 0 arrived, counted 1");
    // A newer server's kinds are counted under names the end line alone gives: taken together, they pass.
    const newer = { kind: "end", counts: { ...END.counts, agents: 1, policies: 1 } };
    const policy = { kind: "policy", data: { id: "p1" } };
    const ok = await drain(clientOver([line(agent("a1")), line(policy), line(newer)]).client);
    expect(ok.error).toBeUndefined();
    expect(ok.records).toHaveLength(3);
  });

  test("a line after the end line is refused, not dropped unseen", async () => {
    const { records, error } = await drain(
      clientOver([line(agent("a1")), line(agent("a2")), line(END), line(agent("a3"))]).client,
    );
    expect(records).toEqual([agent("a1"), agent("a2")]);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as Error).message).toMatch(/end\.counts: a line came after the end line/);
  });

  test("a line that is not JSON, or not a record, throws as it is and cancels the body", async () => {
    const notJson = await drain(clientOver([line(agent("a1")), enc.encode("<html>\n")]).client);
    expect(notJson.error).toBeInstanceOf(ResponseValidationError);
    expect((notJson.error as Error).message).toMatch(/line 2/);

    const { client, cancel } = clientOver([line({ kind: "agent", data: {} }), line(END)], { validate: true });
    const bad = await drain(client);
    expect(bad.records).toEqual([]);
    expect(bad.error).toBeInstanceOf(ResponseValidationError);
    expect(cancel).toHaveBeenCalledOnce();
  });

  test("a record that fails its check is named by its place in the archive (agents.1.name), not by a bare data.name", async () => {
    const good = JSON.parse(readFileSync(new URL("../golden/answers/agent-1.2.json", import.meta.url), "utf8"));
    const { client } = clientOver(
      [
        line({ kind: "agent", data: good }),
        line({ kind: "agent", data: { ...good, id: "1b7c4f6e-2a51-4d38-9c1e-7f2d8a6b5e11", name: 7 } }),
        line(END),
      ],
      { validate: true },
    );
    const { records, error } = await drain(client);
    expect(records).toHaveLength(1);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues).toEqual([
      { path: "agents.1.name", message: "must be a string, got number" },
    ]);
    expect((error as ResponseValidationError).requestId).toBe("req_1");
  });
});
