// A trigger's `webhook_url` is where a third party posts (docs/protocol.md section 5, 1.2). Through MSW
// handlers given a base URL with a path of its own (a client behind a gateway's path), it must be
// under that base, where the same handlers answer it, not under the origin's /api.
import { afterAll, beforeAll, expect, test } from "vitest";
import { setupServer } from "msw/node";
import { DEMO_API_KEY, createMockApi, signWebhook } from "../src/index.js";
import { handlers } from "../src/msw.js";

const BASE = "https://gateway.example.com/resonant";
const api = createMockApi({ seed: { agents: 1 } });
const msw = setupServer(...handlers(api, { baseURL: BASE }));
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterAll(() => {
  msw.close();
  api.close();
});
const headers = { Authorization: `Bearer ${DEMO_API_KEY}`, "Content-Type": "application/json" };

test("a trigger created through handlers at a base with a path points its webhook_url there, and firing it works", async () => {
  const [agent] = (await (await fetch(`${BASE}/v1.2/agents`, { headers })).json()).data;
  const res = await fetch(`${BASE}/v1.2/agents/${agent.id}/triggers`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "t", goal_template: "Do {x}" }),
  });
  const trigger = await res.json();
  expect(trigger.webhook_url).toBe(`${BASE}/v1.2/triggers/${trigger.id}/fire`);
  const body = JSON.stringify({ x: 1 });
  const fired = await fetch(trigger.webhook_url, {
    method: "POST",
    headers: { ...(await signWebhook({ secret: trigger.secret, body })), "Content-Type": "application/json" },
    body,
  });
  expect(fired.status).toBe(202);
});

test("a request that does not come through the handlers still gets the host's /api", async () => {
  const [agent] = (await (await api.fetch(new Request("https://other.test/api/v1.2/agents", { headers }))).json()).data;
  const trigger = await (
    await api.fetch(
      new Request(`https://other.test/api/v1.2/agents/${agent.id}/triggers`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "u", goal_template: "Do" }),
      }),
    )
  ).json();
  expect(trigger.webhook_url).toBe(`https://other.test/api/v1.2/triggers/${trigger.id}/fire`);
});
