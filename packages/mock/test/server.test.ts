import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setupServer } from "msw/node";
import { DEMO_API_KEY, createMockApi, signWebhook } from "../src/index.js";
import { handlers } from "../src/msw.js";
import { startMockServer, type MockServer } from "../src/server.js";
import { ALL_CURRENT } from "./helpers.js";

/** One request over node:http: the status and the head's header lines as sent (names lower-cased). */
function rawCall(url: string, method: string, headers: Record<string, string>) {
  return new Promise<{ status: number; lines: [string, string][] }>((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const lines: [string, string][] = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2)
        lines.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
      res.resume().on("end", () => resolve({ status: res.statusCode!, lines }));
    });
    req.on("error", reject).end();
  });
}
const named = (lines: [string, string][], name: string) => lines.filter(([n]) => n === name).map(([, v]) => v);
const preflight = { Origin: "http://page.test", "Access-Control-Request-Method": "POST" };

describe("startMockServer", () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ versionStates: ALL_CURRENT, seed: { agents: 3 } });
  });
  afterAll(() => server.close());

  test("listens on loopback with url and baseURL", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.baseURL).toBe(`${server.url}/api`);
    const res = await fetch(`${server.baseURL}/v1.2/agents`, {
      headers: { Authorization: `Bearer ${DEMO_API_KEY}`, Origin: "http://page.test" },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).data).toHaveLength(3);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://page.test");
    expect(res.headers.get("access-control-expose-headers")).toContain("X-Request-Id");
    expect(res.headers.get("access-control-expose-headers")).toContain("Idempotent-Replayed");
  });

  test("answers CORS preflights without auth", async () => {
    const res = await fetch(`${server.baseURL}/v1.2/agents`, {
      method: "OPTIONS",
      headers: {
        Origin: "http://page.test",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, idempotency-key",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-methods")).toContain("PATCH");
    expect(res.headers.get("access-control-allow-headers")).toBe("authorization, idempotency-key");
  });

  test("a 204 (a DELETE's, a preflight's) carries no Content-Type; an answer with a body keeps its own", async () => {
    const auth = { Authorization: `Bearer ${DEMO_API_KEY}` };
    const { data } = await (await fetch(`${server.baseURL}/v1.2/agents`, { headers: auth })).json();
    const deleted = await rawCall(`${server.baseURL}/v1.2/agents/${data[0].id}`, "DELETE", auth);
    expect(deleted.status).toBe(204);
    expect(named(deleted.lines, "content-type")).toEqual([]);
    expect(named(deleted.lines, "content-length")).toEqual([]);
    expect(named(deleted.lines, "x-request-id")).toHaveLength(1);
    const allowed = await rawCall(`${server.baseURL}/v1.2/agents`, "OPTIONS", preflight);
    expect(allowed.status).toBe(204);
    expect(named(allowed.lines, "content-type")).toEqual([]);
    const missing = await rawCall(`${server.baseURL}/v1.2/agents/${data[0].id}`, "GET", auth);
    expect(missing.status).toBe(404);
    expect(named(missing.lines, "content-type")).toEqual(["application/json"]);
  });

  test("a preflight carries an X-Request-Id of its own and the X-API-Version it would be served, as every answer does", async () => {
    const ids = [];
    for (let i = 0; i < 2; i++) {
      const { lines } = await rawCall(`${server.baseURL}/v1.2/agents`, "OPTIONS", preflight);
      ids.push(...named(lines, "x-request-id"));
    }
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^req_[A-Za-z0-9]+$/);
    expect(ids[0]).not.toBe(ids[1]);
    for (const [path, version] of [
      ["/v1.0/agents", "1.0"],
      ["/v1.1/tools", "1.1"],
      ["/agents", "1.2"],
      ["/v1/agents", "1.2"],
    ])
      expect(named((await rawCall(`${server.baseURL}${path}`, "OPTIONS", preflight)).lines, "x-api-version")).toEqual([
        version,
      ]);
  });

  test("a drop fault destroys the socket", async () => {
    server.api.faults.once({ drop: true });
    await expect(
      fetch(`${server.baseURL}/v1.2/agents`, { headers: { Authorization: `Bearer ${DEMO_API_KEY}` } }),
    ).rejects.toThrow();
  });
});

test("startMockServer on a port in use rejects with the listen error instead of crashing the process", async () => {
  const first = await startMockServer();
  try {
    await expect(startMockServer({ port: Number(new URL(first.url).port) })).rejects.toMatchObject({
      code: "EADDRINUSE",
    });
  } finally {
    await first.close();
  }
});

test("close() twice: the second resolves too, as the first did", async () => {
  const mock = await startMockServer();
  await mock.close();
  await expect(mock.close()).resolves.toBeUndefined();
  await expect(Promise.all([mock.close(), mock.close()])).resolves.toEqual([undefined, undefined]);
});

test("the triggers a server seeds point their webhook_url at it, before and after a reset, and a signed call there fires", async () => {
  const mock = await startMockServer({ seed: { agents: 1, triggers: 1 } });
  try {
    const webhookUrls = async () => {
      const headers = { Authorization: `Bearer ${DEMO_API_KEY}` };
      const [agent] = (await (await fetch(`${mock.baseURL}/v1.2/agents`, { headers })).json()).data;
      const triggers = (await (await fetch(`${mock.baseURL}/v1.2/agents/${agent.id}/triggers`, { headers })).json())
        .data;
      return triggers.map((t: { id: string; webhook_url: string }) => [t.id, t.webhook_url] as const);
    };
    const [[id, url]] = await webhookUrls();
    expect(url).toBe(`${mock.baseURL}/v1.2/triggers/${id}/fire`);
    const body = JSON.stringify({ ticket_id: "T-1" });
    const signature = await signWebhook({ secret: mock.api.webhookSecret(id)!, body });
    const fired = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...signature },
      body,
    });
    expect(fired.status).toBe(202);
    mock.api.reset();
    mock.api.seed({ triggers: 1 });
    for (const [later, laterUrl] of await webhookUrls())
      expect(laterUrl).toBe(`${mock.baseURL}/v1.2/triggers/${later}/fire`);
  } finally {
    await mock.close();
  }
});

describe("MSW handlers", () => {
  const api = createMockApi({ versionStates: ALL_CURRENT });
  const msw = setupServer(
    ...handlers(api, { baseURL: "https://api.test/custom/api" }),
    ...handlers(api, { baseURL: "https://root.test" }),
    ...handlers(api, { baseURL: "https://slash.test/" }),
  );
  beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
  afterAll(() => msw.close());

  test("serve the mock under any base URL", async () => {
    const created = await fetch("https://api.test/custom/api/v1.2/agents", {
      method: "POST",
      headers: { Authorization: `Bearer ${DEMO_API_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "via msw" }),
    });
    expect(created.status).toBe(201);
    const list = await fetch("https://api.test/custom/api/agents", {
      headers: { Authorization: `Bearer ${DEMO_API_KEY}`, "X-API-Version": "1.0" },
    });
    expect(list.headers.get("x-api-version")).toBe("1.0");
    expect((await list.json()).data[0].name).toBe("via msw");
  });

  test("serve the mock at a base URL that is an origin alone, with or without its slash", async () => {
    // A client whose baseURL is a proxy's root sends /v1.2/agents there; the mock must see /api/v1.2/agents.
    for (const base of ["https://root.test", "https://slash.test"]) {
      const versioned = await fetch(`${base}/v1.2/agents`, { headers: { Authorization: `Bearer ${DEMO_API_KEY}` } });
      expect(versioned.status).toBe(200);
      const unversioned = await fetch(`${base}/agents`, {
        headers: { Authorization: `Bearer ${DEMO_API_KEY}`, "X-API-Version": "1.1" },
      });
      expect([unversioned.status, unversioned.headers.get("x-api-version")]).toEqual([200, "1.1"]);
    }
  });

  test("a drop fault is a network error", async () => {
    api.faults.once({ drop: true });
    await expect(
      fetch("https://api.test/custom/api/v1.2/agents", { headers: { Authorization: `Bearer ${DEMO_API_KEY}` } }),
    ).rejects.toThrow(TypeError);
  });
});
