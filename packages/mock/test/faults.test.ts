import { describe, expect, test } from "vitest";
import { FaultState } from "../src/faults.js";
import { call, mock, raw, readSse } from "./helpers.js";

describe("FaultState", () => {
  test("once applies to the next `times` matching requests, set until reset", () => {
    const f = new FaultState();
    f.once({ status: 503, times: 2, method: "POST", path: "/agents" });
    f.set({ latencyMs: 1 });
    expect(f.take("GET", "/agents", "/api/v1.2/agents")).toEqual({ latencyMs: 1 });
    expect(f.take("POST", "/agents", "/api/v1.2/agents")?.status).toBe(503);
    expect(f.take("POST", "/agents", "/api/v1.2/agents")?.status).toBe(503);
    expect(f.take("POST", "/agents", "/api/v1.2/agents")).toEqual({ latencyMs: 1 });
    f.reset();
    expect(f.take("POST", "/agents", "/api/v1.2/agents")).toBeUndefined();
  });

  test("path patterns: * is one segment, ** anything, RegExp as is", () => {
    const f = new FaultState();
    f.set({ status: 500, path: "/sessions/*/stream" });
    expect(f.take("GET", "/sessions/abc/stream", "")).toBeDefined();
    expect(f.take("GET", "/sessions/abc/steps", "")).toBeUndefined();
    f.set({ status: 500, path: "/agents/**" });
    expect(f.take("GET", "/agents/a/triggers", "")).toBeDefined();
    f.set({ status: 500, path: /export$/ });
    expect(f.take("GET", "/tools/export", "")).toBeDefined();
  });

  test("a status that is not an error status is refused when the fault is set, not when a request meets it", () => {
    const f = new FaultState();
    for (const status of [204, 200, 302, 399, 600, 500.5])
      expect(() => f.once({ status })).toThrow(
        `fault.status must be an error status, an integer from 400 to 599; got ${status}`,
      );
    expect(() => f.set({ status: 204 })).toThrow(RangeError);
    f.set({ status: 418 });
    expect(f.take("GET", "/agents", "")?.status).toBe(418);
  });
});

describe("faults through the app", () => {
  test("a status fault answers in the version's error form, with Retry-After for 503; nothing is created", async () => {
    const api = mock();
    api.faults.once({ status: 503, method: "POST" });
    const res = await call(api, "POST", "/agents", { body: { name: "x" }, version: "1.1" });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.json.detail).toBeDefined();
    expect((await call(api, "GET", "/agents")).json.data).toHaveLength(0);
  });

  test("drop rejects like fetch does (a TypeError)", async () => {
    const api = mock();
    api.faults.once({ drop: true });
    await expect(raw(api, "GET", "/agents")).rejects.toBeInstanceOf(TypeError);
    expect((await call(api, "GET", "/agents")).status).toBe(200);
  });

  test("malformed and wrong-schema bodies", async () => {
    const api = mock();
    api.faults.once({ malformedJson: true });
    const bad = await raw(api, "GET", "/agents");
    expect(bad.status).toBe(200);
    await expect(bad.json()).rejects.toThrow();
    api.faults.once({ wrongSchema: true });
    const wrong = await call(api, "GET", "/agents");
    expect(wrong.json.object).toBe("unexpected");
  });

  test("latency delays the answer", async () => {
    const api = mock();
    api.faults.once({ latencyMs: 60 });
    const start = Date.now();
    await call(api, "GET", "/agents");
    expect(Date.now() - start).toBeGreaterThanOrEqual(55);
  });

  test("an abort ends the latency's wait: api.fetch rejects with the signal's reason, as fetch does", async () => {
    const api = mock();
    // A minute: were the abort ignored, the test would time out.
    api.faults.set({ latencyMs: 60_000 });
    const controller = new AbortController();
    const reason = new Error("the caller gave up");
    const answer = api.fetch(new Request("http://mock/api/v1.2/agents", { signal: controller.signal }));
    setTimeout(() => controller.abort(reason), 20);
    await expect(answer).rejects.toBe(reason);
  });

  test("cutStreamAfter ends an SSE stream after N events, without done", async () => {
    const api = mock();
    const agent = (await call(api, "POST", "/agents", { body: { name: "a" } })).json;
    api.faults.once({ cutStreamAfter: 2, path: "/sessions" });
    const res = await raw(api, "POST", "/sessions", {
      body: { agent_id: agent.id, goal: "g", stream: true },
      headers: { Accept: "text/event-stream" },
    });
    const { events } = await readSse(res);
    expect(events.map((e) => e.id)).toEqual([1, 2]);
  });

  test("rewrite replaces a JSON answer's text (digits the mock cannot store kept), its length following", async () => {
    const api = mock();
    const seen: string[] = [];
    api.faults.set({
      method: "GET",
      path: "/agents/*",
      rewrite: (text, request) => {
        seen.push(new URL(request.url).pathname);
        return text.replace('"name":', '"x_big":9007199254740993,"name":');
      },
    });
    const agent = (await call(api, "POST", "/agents", { body: { name: "a" } })).json;
    const res = await raw(api, "GET", `/agents/${agent.id}`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('"x_big":9007199254740993,"name":"a"');
    expect(res.headers.get("content-length")).toBeNull();
    expect(res.headers.get("x-request-id")).toMatch(/./);
    expect(seen).toEqual([`/api/v1.2/agents/${agent.id}`]);
    // Neither an error answer nor a stream is rewritten.
    const missing = await raw(api, "GET", "/agents/nope");
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain("x_big");
    expect(seen).toHaveLength(1);
  });

  test("rewriteLines rewrites each line of an NDJSON stream: one line twice, one dropped, the rest as they were", async () => {
    const api = mock({ seed: { agents: 2, tools: 1 } });
    const plain = await (await raw(api, "GET", "/data/export", { headers: { Accept: "application/x-ndjson" } })).text();
    const lines = plain.trimEnd().split("\n");
    const agent = lines.find((line) => line.startsWith('{"kind":"agent"'))!;
    const paths: string[] = [];
    api.faults.set({
      path: "/data/export",
      rewriteLines: (line, request) => {
        paths.push(new URL(request.url).pathname);
        if (line === agent) return `${line}\n${line}`;
        return line.startsWith('{"kind":"tool"') ? "" : line;
      },
    });
    const res = await raw(api, "GET", "/data/export", { headers: { Accept: "application/x-ndjson" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBeNull();
    const expected = lines.flatMap((line) =>
      line === agent ? [line, line] : line.startsWith('{"kind":"tool"') ? [] : [line],
    );
    expect(await res.text()).toBe(`${expected.join("\n")}\n`);
    expect(new Set(paths)).toEqual(new Set(["/api/v1.2/data/export"]));
    expect(paths).toHaveLength(lines.length);
  });
});
