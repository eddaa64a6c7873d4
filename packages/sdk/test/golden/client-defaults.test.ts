import { afterEach, expect, test, vi } from "vitest";
import { APITimeoutError, ResonantClient } from "@resonantgenesis/sdk";

// docs/sdk.md's constructor, each default as it writes it: `baseURL: "https://resonantgenesis.xyz/api"`,
// `apiVersion: "1.2"`, `versioning: "path"`, `timeout: 60_000` ms per attempt, `maxRetries: 2`, and the
// `Authorization: Bearer <token>` of docs/protocol.md section 2.
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

test("unset options: the production base URL, /v1.2 in the path, the key as a bearer token", async () => {
  vi.stubEnv("RESONANT_BASE_URL", ""); // an empty variable is unset
  const sent: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Request(input, init));
    return new Response('{"object":"list","data":[],"has_more":false,"next_cursor":null}', {
      headers: { "content-type": "application/json" },
    });
  };
  const client = new ResonantClient({ apiKey: "rg_live_sk_abc", fetch, logLevel: "off" });
  expect(client.apiVersion).toBe("1.2");
  await client.agents.list();
  expect(sent[0]!.url).toBe("https://resonantgenesis.xyz/api/v1.2/agents");
  expect(sent[0]!.headers.get("authorization")).toBe("Bearer rg_live_sk_abc");
  expect(sent[0]!.headers.get("x-api-version")).toBeNull();
});

test("each attempt may take 60 s, then times out; 2 retries, so 3 attempts", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  const started: number[] = [];
  const fetch = (_input: RequestInfo | URL, init?: RequestInit) =>
    new Promise<Response>((_resolve, reject) => {
      started.push(Date.now());
      init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
    });
  const client = new ResonantClient({ apiKey: "rg_test_sk_x", fetch, logLevel: "off" });
  const call = client.agents.list().catch((e: unknown) => e);
  await vi.advanceTimersByTimeAsync(59_999);
  expect(started).toHaveLength(1);
  // The first attempt ends at 60 s; then a backoff of at most 0.5 s, a second 60 s, at most 1 s, a third.
  await vi.advanceTimersByTimeAsync(1 + 500 + 60_000 + 1_000 + 60_000);
  expect(await call).toBeInstanceOf(APITimeoutError);
  expect(started).toHaveLength(3);
  expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(60_000);
  expect(started[1]! - started[0]!).toBeLessThanOrEqual(60_500);
});
