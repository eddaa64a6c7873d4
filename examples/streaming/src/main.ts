// Streaming sessions: print an answer as it is written (message deltas),
// follow a session that is already running, and resume a stream the server
// cut mid-way. It runs against the mock on 127.0.0.1, so it needs no key and
// no network, and it exits non-zero if any streamed answer differs from the
// session's stored result (so CI can run it).
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { startMockServer } from "@resonantgenesis/mock/server";
import { ResonantClient, createNodeFetch, type Fetch, type SessionStreamEvent } from "@resonantgenesis/sdk";

// A short delay between events, so the deltas visibly arrive one by one.
const mock = await startMockServer({ stepDelayMs: 60 });
let failures = 0;
const check = (ok: boolean, what: string) => {
  console.log(`  ${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures += 1;
};

// Logs each request the SDK sends, so the reconnect after the cut is visible:
// it is a GET of the session's stream carrying the Last-Event-ID it had reached.
const nodeFetch = createNodeFetch();
const loggingFetch: Fetch = (input, init) => {
  const lastEventId = input.headers.get("last-event-id");
  console.log(
    `  -> ${input.method} ${new URL(input.url).pathname}${lastEventId ? `  (Last-Event-ID: ${lastEventId})` : ""}`,
  );
  return nodeFetch(input, init);
};

/** Reads a stream to its end, writing the answer as it comes; returns what it saw. */
async function show(
  events: AsyncIterable<SessionStreamEvent>,
): Promise<{ text: string; ids: string[]; done?: SessionStreamEvent & { type: "done" } }> {
  let text = "";
  const ids: string[] = [];
  let done: (SessionStreamEvent & { type: "done" }) | undefined;
  let inAnswer = false;
  for await (const event of events) {
    ids.push(event.type === "step" ? `step:${event.data.id}:${event.data.status}` : event.type);
    if (event.type === "session") console.log(`  session ${event.data.id} is ${event.data.status}`);
    if (event.type !== "message" && inAnswer) {
      process.stdout.write("\n"); // the answer's line ends before any other event is printed
      inAnswer = false;
    }
    if (event.type === "step" && event.data.status !== "running")
      console.log(`  step ${event.data.action} ${event.data.status}`);
    if (event.type === "tool_call") console.log(`  tool call to ${event.data.tool_id}`);
    if (event.type === "message") {
      if (!inAnswer) process.stdout.write("  answer: ");
      inAnswer = true;
      process.stdout.write(event.data.delta); // as it is written, delta by delta
      text += event.data.delta;
    }
    if (event.type === "done") {
      console.log(
        `  done: ${event.data.status}, ${event.data.steps_completed} steps, ${event.data.tokens_used} tokens`,
      );
      done = event;
    }
  }
  return { text, ids, done };
}

try {
  // One tool, so the agent's sessions also show a tool call.
  const seeded = mock.api.seed({ tools: 1, agents: 1 });
  const agentId = seeded.agents[0]!;
  const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL: mock.baseURL, fetch: loggingFetch });
  console.log(`mock API on ${mock.baseURL}`);

  console.log("\n1. stream a new session: client.sessions.stream(...)");
  const streamed = await show(client.sessions.stream({ agent_id: agentId, goal: "Summarise the inbox" }));
  check(streamed.done?.data.status === "completed", "the session completed");
  check(streamed.text === streamed.done?.data.result, "the streamed text equals the session's result");

  console.log("\n2. follow a session already running: client.sessions.follow(id)");
  const started = await client.sessions.create({ agent_id: agentId, goal: "Draft the weekly report" });
  const followed = await show(client.sessions.follow(started.id));
  const stored = await client.sessions.get(started.id);
  check(followed.text === stored.result, "the followed text equals the stored result");

  console.log("\n3. the server cuts the stream after 2 events; the SDK resumes it");
  mock.api.faults.once({ cutStreamAfter: 2, method: "POST", path: "/sessions" });
  const resumed = await show(client.sessions.stream({ agent_id: agentId, goal: "Triage the alerts" }));
  const sessionId = resumed.done?.data.id ?? "";
  // An uncut follow of the finished session replays its whole log: the reference.
  const reference: string[] = [];
  for await (const event of client.withOptions({ fetch: nodeFetch }).sessions.follow(sessionId)) {
    reference.push(event.type === "step" ? `step:${event.data.id}:${event.data.status}` : event.type);
  }
  check(
    resumed.ids.join() === reference.join(),
    `the same ${reference.length} events as an uncut read, none lost or repeated`,
  );
  check(resumed.text === resumed.done?.data.result, "the resumed text equals the session's result");
} finally {
  await mock.close();
}

if (failures > 0) {
  console.error(`\n${failures} check(s) failed`);
  process.exit(1);
}
console.log("\nall streams complete");
