/**
 * The client's key, wherever the client could show it: its inspect and JSON, debug logs, and an answer that
 * echoes a key of no known shape back (errors' messages, bodies, JSON, inspect and stacks).
 */
import { describe, expect, test, vi } from "vitest";
import { inspect } from "node:util";
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import { BadRequestError, ResonantClient, ResonantError, type Fetch } from "@resonantgenesis/sdk";

// The real mock app, called in-process through the client's `fetch` option.
const api = createMockApi();
const viaMock: Fetch = async (input, init) => api.fetch(new Request(input, init));
const baseURL = "https://resonantgenesis.xyz/api";

describe("secrets", () => {
  test("the key is not in the client's inspect or JSON output", () => {
    const key = "rg_live_sk_supersecret123";
    const client = new ResonantClient({ apiKey: key });
    expect(inspect(client, { depth: 6, showHidden: true })).not.toContain(key);
    expect(JSON.stringify(client)).not.toContain(key);
  });

  test("debug logs redact the key", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "debug").mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
    try {
      const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL, fetch: viaMock, logLevel: "debug" });
      await client.agents.list();
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join("\n")).not.toContain(DEMO_API_KEY);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("a key of no known shape, echoed back by a server", () => {
  // A JWT and a custom token: the redaction patterns know neither; the client knows its own key.
  test.each([
    ["a static JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.SIGNATUREsecret"],
    ["a key function's custom token", "customtokenSECRET1234"],
  ])("%s is in no error message, body, JSON, inspect or stack", async (_name, key) => {
    const echo: Fetch = async () => Response.json({ detail: `Invalid key ${key}`, echoed: { key } }, { status: 400 });
    const apiKey = _name.includes("function") ? async () => key : key;
    const client = new ResonantClient({ apiKey, baseURL, fetch: echo, logLevel: "off", maxRetries: 0 });
    const error = await client.agents.list().then(
      () => undefined,
      (e: unknown) => e as BadRequestError,
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error!.message).toBe("400 Bad Request [invalid_parameter]: Invalid key ***");
    for (const shown of [
      error!.message,
      String(error),
      error!.stack,
      JSON.stringify(error),
      inspect(error, { depth: 6 }),
    ])
      expect(shown).not.toContain(key);
    expect(error!.body).toEqual({ detail: "Invalid key ***", echoed: { key: "***" } });
  });
});

describe("a key of no known shape, echoed where an error shows it", () => {
  const answer = (status: number, body: string, headers: Record<string, string>) => async () =>
    new Response(body, { status, headers });
  const list = (client: ResonantClient) => client.agents.list();
  const echoes: [string, (key: string) => Fetch, (client: ResonantClient) => Promise<unknown>][] = [
    [
      "a 401's headers",
      (key) =>
        answer(401, '{"detail":"no"}', {
          "content-type": "application/json",
          "www-authenticate": `Bearer realm="api", error="invalid_token", error_description="token ${key} expired"`,
          "x-debug-token": key,
        }),
      list,
    ],
    ["a redirect's Location", (key) => answer(302, "", { location: `http://elsewhere/?k=${key}` }), list],
    [
      "a 200 whose body is not JSON",
      (key) => answer(200, `<title>SSO</title> token=${key}`, { "content-type": "text/html" }),
      list,
    ],
    [
      "a 200 whose body starts with it",
      (key) => answer(200, `${key} is no JSON`, { "content-type": "application/json" }),
      list,
    ],
    [
      "an NDJSON export line that is not JSON",
      (key) => answer(200, `${key} oops\n`, { "content-type": "application/x-ndjson" }),
      async (client) => {
        for await (const _ of client.data.exportStream()) break;
      },
    ],
    [
      "an event whose data is not JSON",
      (key) => answer(200, `id: 1\nevent: session\ndata: ${key}\n\n`, { "content-type": "text/event-stream" }),
      async (client) => {
        for await (const _ of client.sessions.stream({ agent_id: crypto.randomUUID(), goal: "g" })) break;
      },
    ],
  ];
  test.each(echoes)("%s: the key is in no message, JSON, inspect or stack", async (_where, echo, call) => {
    // A JWT and a custom token, each as a string and as what a key function returns.
    for (const key of ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJlX3NlY3JldDEyMw", "tok-9f8e7d6c5b4a"]) {
      for (const apiKey of [key, async () => key]) {
        const client = new ResonantClient({ apiKey, baseURL, fetch: echo(key), logLevel: "off", maxRetries: 0 });
        const error = await call(client).then(
          () => new Error("no error"),
          (e: unknown) => e as Error,
        );
        expect(error).toBeInstanceOf(ResonantError);
        const views = [error.message, String(error), error.stack, JSON.stringify(error), inspect(error, { depth: 6 })];
        // Not even the start of it, which a preview or an engine's message would cut.
        for (const shown of views) expect(shown).not.toContain(key.slice(0, 8));
      }
    }
  });
});

describe("a secret echoed with a JSON escape inside it", () => {
  // The same string to any JSON reader: `\u0055` is `U`. The raw text was redacted before it was parsed, so the
  // pattern stopped at the escape and the rest of the secret was decoded in clear.
  const escapeAt = (text: string, i: number) =>
    `${text.slice(0, i)}\\u${text.charCodeAt(i).toString(16).padStart(4, "0")}${text.slice(i + 1)}`;
  const cases: [string, string, string][] = [
    ["an API key", "rg_test_sk_AUDITSECRET0123456789", "rg_test_sk_AUDITSECRET0123456789"],
    ["a webhook secret", "whsec_S3cr3tValue_abcdef123456", "rg_test_sk_other000000000000000"],
    ["the client's own key of no known shape", "tok-ABCDEFGH-secret-0123", "tok-ABCDEFGH-secret-0123"],
  ];
  test.each(cases)("%s: in no message, field, body, JSON or inspect", async (_what, secret, apiKey) => {
    for (const at of [3, 12, secret.length - 2]) {
      const echoed = escapeAt(secret, at);
      const raw = `{"error":{"code":"api_key_invalid","message":"echo ${echoed}","request_id":"req_${echoed}","details":{"k":"${echoed}"}}}`;
      const fetch: Fetch = async () =>
        new Response(raw, { status: 401, headers: { "content-type": "application/json" } });
      const client = new ResonantClient({ apiKey, baseURL, fetch, logLevel: "off", maxRetries: 0 });
      const error = (await client.agents.list().catch((e: unknown) => e)) as ResonantError;
      expect(error).toBeInstanceOf(ResonantError);
      const shown = [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10 })].join("\n");
      expect(shown).toContain("echo ");
      expect(shown, `escaped at ${at}`).not.toContain(secret.slice(-8));
    }
  });
});
