// An injected fault status stands for the server's own error of that status, so it answers in
// the same form (docs/protocol.md section 3: a string, a list or an object `detail` in 1.0/1.1,
// `error.details` in 1.2) and with the same headers (section 1: a 410 carries X-API-Upgrade-To;
// section 2: a 429 carries Retry-After) as the mock's own error of that status in that version.
// And a stream cut after 0 events sends none.
import { describe, expect, test } from "vitest";
import { MAX_BODY_BYTES } from "@resonantgenesis/schemas/meta";
import { call, mock, raw, readSse } from "./helpers.js";

type Version = "1.0" | "1.1" | "1.2";
type Api = ReturnType<typeof mock>;
type Answer = Awaited<ReturnType<typeof call>>;

const HEADERS = ["retry-after", "x-api-upgrade-to", "x-api-sunset-date", "sunset", "www-authenticate"];

/** The form of an error body: which kind of `detail` (and its keys), or 1.2's error and details keys. */
function formOf(json: { detail?: unknown; error?: { details?: object } }): unknown {
  if (json.error)
    return { error: Object.keys(json.error).sort(), details: Object.keys(json.error.details ?? {}).sort() };
  const { detail } = json;
  if (Array.isArray(detail)) return "list";
  return typeof detail === "object" && detail !== null ? Object.keys(detail).sort() : typeof detail;
}
const headersOf = (res: Answer) => HEADERS.filter((name) => res.headers.has(name));

const AGENT = { name: "x", model: "gpt-4-turbo" };

/** Each status with a request that gets the mock's own error of it, and a request to inject it on. */
const CASES: Record<number, { own: (api: Api, version: Version) => Promise<Answer>; method: string; body?: unknown }> =
  {
    400: { own: (api, version) => call(api, "GET", "/agents?limit=0", { version }), method: "GET" },
    401: { own: (api, version) => call(api, "GET", "/agents", { version, key: "rg_test_sk_nobody" }), method: "GET" },
    403: {
      own: (api, version) =>
        call(api, "GET", "/agents", { version, key: api.createAccount({ scopes: ["teams:read"] }).key }),
      method: "GET",
    },
    404: { own: (api, version) => call(api, "GET", "/nothing-here", { version }), method: "GET" },
    410: {
      own: (api, version) => {
        api.setVersionState(version, "gone");
        return call(api, "GET", "/agents", { version });
      },
      method: "GET",
    },
    413: {
      own: (api, version) =>
        call(api, "POST", "/agents", { version, body: { ...AGENT, description: "x".repeat(MAX_BODY_BYTES) } }),
      method: "POST",
      body: AGENT,
    },
    422: { own: (api, version) => call(api, "POST", "/agents", { version, body: {} }), method: "POST", body: AGENT },
    429: {
      own: (api, version) => {
        api.setRateLimit(0);
        return call(api, "GET", "/agents", { version });
      },
      method: "GET",
    },
  };

describe.each(["1.0", "1.1", "1.2"] as const)("API %s: an injected status answers as the mock's own", (version) => {
  test.each(Object.keys(CASES).map(Number))("%i", async (status) => {
    const { own, method, body } = CASES[status]!;
    const injectedApi = mock();
    injectedApi.faults.once({ status });
    const injected = await call(injectedApi, method, "/agents", { version, body });
    const real = await own(mock(), version);
    expect(real.status).toBe(status);
    expect(injected.status).toBe(status);
    expect(formOf(injected.json)).toEqual(formOf(real.json));
    expect(headersOf(injected)).toEqual(headersOf(real));
    if (status === 410) expect(injected.headers.get("x-api-upgrade-to")).toBe(real.headers.get("x-api-upgrade-to"));
    if (status === 403) expect(JSON.stringify(injected.json)).toContain("agents:read");
  });
});

test("an injected 429 says its Retry-After in the body too, and on 1.1 no requests remain", async () => {
  const api = mock();
  api.faults.once({ status: 429, retryAfter: 7 });
  const res = await call(api, "GET", "/agents", { version: "1.1" });
  expect(res.headers.get("retry-after")).toBe("7");
  expect(res.json.detail).toMatchObject({ code: "rate_limit_exceeded", retry_after: 7 });
  expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
});

describe("cutStreamAfter: 0 sends no event", () => {
  test("NDJSON export: no line", async () => {
    const api = mock({ seed: { agents: 2 } });
    api.faults.once({ cutStreamAfter: 0 });
    const res = await raw(api, "GET", "/data/export", { headers: { Accept: "application/x-ndjson" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  test("SSE: no event", async () => {
    const api = mock({ seed: { agents: 1, sessions: 1 } });
    const [session] = (await call(api, "GET", "/sessions")).json.data;
    api.faults.once({ cutStreamAfter: 0 });
    const res = await raw(api, "GET", `/sessions/${session.id}/stream`, { headers: { Accept: "text/event-stream" } });
    expect(res.status).toBe(200);
    expect((await readSse(res)).events).toEqual([]);
  });
});
