// The SDK in a browser page: list, get, a typed error, exportAll and a
// streamed session against the mock, each result written into the page
// (elements with data-testid, which the headless test reads). The page ends
// with a `data-testid="done"` marker, or `data-testid="error"` if a step threw.
import { NotFoundError, ResonantClient } from "@resonantgenesis/sdk";

// The mock's demo key (DEMO_API_KEY of @resonantgenesis/mock), written out
// rather than imported so the page's bundle holds the SDK and nothing of the mock.
const DEMO_API_KEY = "rg_test_sk_demo";

// The mock's base URL comes in the query (?api=...), since the mock listens on a free port.
const params = new URLSearchParams(location.search);
const baseURL = params.get("api") ?? "http://127.0.0.1:4010/api";

const show = (testId: string, text: string): void => {
  const element = document.querySelector(`[data-testid="${testId}"]`);
  if (!element) throw new Error(`the page has no [data-testid="${testId}"]`);
  element.textContent = text;
};

function finish(testId: "done" | "error", text: string): void {
  const marker = document.createElement("p");
  marker.className = "status";
  marker.dataset.testid = testId;
  marker.textContent = text;
  document.getElementById("status")!.append(marker);
}

async function run(): Promise<void> {
  document.getElementById("api")!.textContent = baseURL;
  // A static key in a page is readable by anyone who opens it, so the SDK
  // refuses one unless asked. It is fine here: a test key of a mock on this
  // machine's loopback, which guards nothing. A real page would use a key
  // function fetching a short-lived token from its own server instead.
  const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL, dangerouslyAllowBrowser: true });

  const agents = [];
  for await (const agent of client.agents.list({ limit: 5 })) agents.push(agent); // every page, 5 at a time
  show("list-count", String(agents.length));
  document.getElementById("list-names")!.textContent = agents.map((a) => a.name).join(", ");

  const first = agents[0];
  if (!first) throw new Error("the account has no agents to get");
  const got = await client.agents.get(first.id);
  show("got-name", got.name);

  try {
    await client.agents.get("agent-that-does-not-exist");
    show("error-class", "no error");
  } catch (error) {
    // The class survives bundling: its name is set on the prototype, and instanceof holds.
    show("error-class", error instanceof NotFoundError ? error.name : `unexpected ${String(error)}`);
    document.getElementById("error-message")!.textContent = (error as Error).message;
  }

  const archive = await client.data.exportAll();
  const counts = {
    agents: archive.agents.length,
    tools: archive.tools.length,
    sessions: archive.sessions.length,
    memories: archive.memories.length,
  };
  show(
    "archive-counts",
    Object.entries(counts)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(", "),
  );

  let text = "";
  for await (const event of client.sessions.stream({ agent_id: got.id, goal: "Summarise the inbox" })) {
    if (event.type === "session") show("stream-session", event.data.id);
    if (event.type === "message") show("stream-text", (text += event.data.delta)); // grows as it is written
    if (event.type === "done") show("stream-session", `${event.data.id} ${event.data.status}`);
  }
  finish("done", "done: every call answered");
}

run().catch((error: unknown) => {
  console.error(error);
  finish("error", `failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
});
