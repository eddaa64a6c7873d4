import fc from "fast-check";
import { afterEach, describe, expect, test, vi } from "vitest";
import { inspect } from "node:util";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { VERSION_AT_END } from "@resonantgenesis/schemas/meta";
import { baseURL, inProcessMock } from "./in-process-mock.js";
import {
  APIConnectionError,
  APIError,
  ResonantClient,
  ResonantError,
  RequestValidationError,
  API_VERSIONS,
  type Fetch,
} from "@resonantgenesis/sdk";

const { api, viaMock, sent } = inProcessMock();

afterEach(() => {
  sent.length = 0;
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

/** The error a client made with `baseURL` throws, or undefined when it is made. */
function refusalOf(baseURL: string): RequestValidationError | undefined {
  try {
    new ResonantClient({ apiKey: "k", baseURL });
  } catch (e) {
    return e as RequestValidationError;
  }
  return undefined;
}
describe("options", () => {
  test("RESONANT_API_KEY and RESONANT_BASE_URL are the defaults", async () => {
    vi.stubEnv("RESONANT_API_KEY", DEMO_API_KEY);
    vi.stubEnv("RESONANT_BASE_URL", "https://example.test/api");
    const client = new ResonantClient({ fetch: viaMock, logLevel: "off" });
    expect(client.baseURL).toBe("https://example.test/api");
    await client.agents.list().catch(() => {});
    expect(sent[0]?.url).toBe("https://example.test/api/v1.2/agents");
    expect(sent[0]?.headers.get("authorization")).toBe(`Bearer ${DEMO_API_KEY}`);
  });

  test("a call's timeout and maxRetries are checked as the client's are, before anything is sent", async () => {
    const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL, fetch: viaMock, logLevel: "off" });
    for (const [options, message] of [
      [
        { timeout: -1 },
        /Invalid request options: options\.timeout must be a positive number of ms up to 2\^31-1; got -1/,
      ],
      [{ timeout: 0 }, /options\.timeout must be a positive number of ms up to 2\^31-1; got 0/],
      // Past 2^31-1 ms a timer fires at once: every attempt would time out after 1 ms.
      [{ timeout: 2 ** 31 }, /options\.timeout must be a positive number of ms up to 2\^31-1; got 2147483648/],
      [{ timeout: 3e9 }, /options\.timeout must be .* got 3000000000/],
      [
        { streamIdleTimeout: 2 ** 31 },
        /options\.streamIdleTimeout must be a positive number of ms up to 2\^31-1, or false/,
      ],
      [{ maxRetries: Number.POSITIVE_INFINITY }, /options\.maxRetries must be a whole number, 0 or more; got Infinity/],
      [{ maxRetries: 2.5 }, /options\.maxRetries must be a whole number, 0 or more; got 2.5/],
      [{ streamIdleTimeout: 0 }, /options\.streamIdleTimeout must be a positive number of ms up to 2\^31-1, or false/],
    ] as const) {
      const error = await client.agents.list({}, options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RequestValidationError);
      expect((error as Error).message).toMatch(message);
    }
    expect(sent).toHaveLength(0);
  });

  test("a base URL that is not http(s), or carries a query or a fragment, is refused; a password in one is never shown", async () => {
    for (const [bad, shown] of [
      ["ftp://x.test/api", "ftp://x.test/api"],
      ["https://x.test/api?tenant=1", "https://x.test/api?…"],
      ["https://x.test/api#top", "https://x.test/api?…"],
    ])
      expect(() => new ResonantClient({ apiKey: "k", baseURL: bad })).toThrow(
        `baseURL (or RESONANT_BASE_URL) must be an http(s) URL without the version or a query; got "${shown}"`,
      );
    // A query may carry a token of any shape, which the patterns of redact() would not know: it is never quoted back.
    const secret = "Zq8vT3nLx0pA";
    const withToken = refusalOf(`https://x.test/api?token=${secret}#${secret}`);
    expect(withToken).toBeInstanceOf(RequestValidationError);
    for (const shown of [withToken!.message, JSON.stringify(withToken), inspect(withToken)])
      expect(shown).not.toContain(secret);
    const refused = refusalOf("ftp://admin:hunter2@x.test/api");
    expect(refused).toBeInstanceOf(RequestValidationError);
    expect(refused!.message).toContain('got "ftp://***@x.test/api"');
    expect(JSON.stringify(refused)).not.toContain("hunter2");
    // A scheme spelt as a URL parser forgives, or mistyped, is quoted back without its user and password too.
    for (const baseURL of [
      "http:/admin:hunter2@x.test/api/v1.2",
      "http//admin:hunter2@x.test/api",
      "http:/\\admin:hunter2@x.test",
    ]) {
      const odd = refusalOf(baseURL);
      expect(odd, baseURL).toBeInstanceOf(RequestValidationError);
      for (const shown of [odd!.message, JSON.stringify(odd), inspect(odd)]) expect(shown).not.toContain("hunter2");
    }
    // Credentials are left to the transport, and shown masked.
    const client = new ResonantClient({
      apiKey: DEMO_API_KEY,
      baseURL: "https://admin:hunter2@x.test/api/",
      fetch: viaMock,
    });
    expect(client.baseURL).toBe("https://***@x.test/api");
    for (const shown of [JSON.stringify(client), inspect(client, { depth: 6, showHidden: true })])
      expect(shown).not.toContain("hunter2");
    expect(new ResonantClient({ apiKey: "k", baseURL: "HTTP://x.test:8080/api/" }).baseURL).toBe(
      "HTTP://x.test:8080/api",
    );
  });

  test("a fetch that is no function is refused at construction, not blamed on the network at the first call", () => {
    expect(() => new ResonantClient({ apiKey: "k", fetch: 5 as unknown as Fetch })).toThrow(
      /Invalid client options: fetch must be a function; got 5/,
    );
  });

  test("an onDeprecation that is no function is refused at construction, where every notice would have been lost", () => {
    expect(() => new ResonantClient({ apiKey: "k", onDeprecation: "warn" as never })).toThrow(
      /Invalid client options: onDeprecation must be a function; got "warn"/,
    );
  });

  test("no key at all is a clear error at construction", () => {
    vi.stubEnv("RESONANT_API_KEY", "");
    expect(() => new ResonantClient()).toThrow(/apiKey option or set RESONANT_API_KEY/);
  });

  test("bad options name the option", () => {
    expect(() => new ResonantClient({ apiKey: "k", apiVersion: "2.0" as "1.2" })).toThrow(RequestValidationError);
    expect(() => new ResonantClient({ apiKey: "k", timeout: -1, maxRetries: 1.5 })).toThrow(/timeout.*maxRetries/);
    expect(() => new ResonantClient({ apiKey: "k", baseURL: "not a url" })).toThrow(
      /baseURL \(or RESONANT_BASE_URL\) must be an http\(s\) URL without the version or a query; got "not a url"/,
    );
    // The variable is the option's default, and checked the same way (it was taken as it came).
    vi.stubEnv("RESONANT_BASE_URL", "https://resonantgenesis.xyz/api/v1.2");
    expect(() => new ResonantClient({ apiKey: "k" })).toThrow(
      /RESONANT_BASE_URL.*got "https:\/\/resonantgenesis.xyz\/api\/v1.2"/,
    );
    expect(new ResonantClient({ apiKey: "k", baseURL: "https://x.test/api" }).baseURL).toBe("https://x.test/api");
    vi.unstubAllEnvs();
    // An openai-style base URL, with the version the client adds itself: every call would go to /v1.2/v1.2.
    for (const baseURL of ["https://resonantgenesis.xyz/api/v1.2", "http://127.0.0.1:4010/api/v1.0/"])
      expect(() => new ResonantClient({ apiKey: "k", baseURL })).toThrow(`got "${baseURL}"`);
    // A version inside the path, or a gateway's own /v1 at its end, is the API's root as given.
    for (const baseURL of ["https://example.test/v1.2/api", "https://gateway.example.test/resonant/v1"])
      expect(new ResonantClient({ apiKey: "k", baseURL }).baseURL).toBe(baseURL);
    // The client's check is meta's VERSION_AT_END written out (for bundle size), which the CLI uses: same answers.
    for (const baseURL of [
      "https://x.test/api/v1.2",
      "https://x.test/api/v10.0//",
      "https://x.test/v1",
      "https://x.test/api/v1.2x",
    ]) {
      expect(refusalOf(baseURL) !== undefined, baseURL).toBe(VERSION_AT_END.test(baseURL));
    }
  });

  test("logger takes the client's lines: a retry says what, when and why, and a logger without a level's method is refused", async () => {
    const lines: [string, string][] = [];
    const logger = {
      error: (line: string) => lines.push(["error", line]),
      warn: (line: string) => lines.push(["warn", line]),
      info: (line: string) => lines.push(["info", line]),
      debug: (line: string) => lines.push(["debug", line]),
    };
    let first = true;
    const flaky: Fetch = async (input, init) => {
      if (!first) return viaMock(input, init);
      first = false;
      return new Response("busy", { status: 503, headers: { "retry-after": "0" } });
    };
    const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL, fetch: flaky, logger, logLevel: "info" });
    await client.agents.list();
    // The reason phrase is the status's usual one when the transport gives none (a Response built in
    // process, MSW, HTTP/2), as in an error's message: docs/retries-and-timeouts.md quotes the line so.
    expect(lines).toEqual([["info", "[resonant] retrying GET agents in 0 s (retry 1 of 2): 503 Service Unavailable"]]);

    const { debug: _debug, ...partial } = logger;
    expect(() => new ResonantClient({ apiKey: "k", logger: partial as never })).toThrow(
      /logger must have error, warn, info and debug methods/,
    );
    expect(() => new ResonantClient({ apiKey: "k", logger: null as never })).toThrow(/logger/);
  });

  test("an async key function is called for every request", async () => {
    let calls = 0;
    const apiKey = async () => {
      calls++;
      return DEMO_API_KEY;
    };
    const client = new ResonantClient({ apiKey, baseURL, fetch: viaMock, logLevel: "off" });
    await client.agents.list();
    await client.agents.list();
    expect(calls).toBe(2);
  });

  test("a key function that returns no key is refused before anything is sent, naming only the type", async () => {
    const returns: [unknown, string][] = [
      [undefined, "undefined"],
      [null, "null"],
      ["", "an empty string"],
      [42, "number"],
      [{ token: "SECRET" }, "object"],
    ];
    for (const [returned, named] of returns) {
      const client = new ResonantClient({ apiKey: (async () => returned) as never, baseURL, fetch: viaMock });
      const error = await client.agents.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResonantError);
      expect(error).not.toBeInstanceOf(APIError);
      expect((error as Error).message).toBe(`The apiKey function returned ${named}, not a key.`);
      expect(sent).toHaveLength(0);
    }
  });

  test("a key that cannot go in a header is refused before anything is sent, saying why, never showing it", async () => {
    const secret = "rg_test_sk_SECRETSECRET";
    const cases: [string, RegExp][] = [
      [`${secret}\r`, /ends with a carriage return \(a CRLF \.env file\?\)/],
      [`${secret}\n`, /ends with a line break/],
      [` ${secret}`, /starts with whitespace/],
      [`${secret} `, /ends with whitespace/],
      [`${secret.slice(0, 8)}\u0000${secret.slice(8)}`, /holds a control character \(U\+0000\)/],
      [`${secret}\u2603x`, /holds a character beyond Latin-1 \(U\+2603\)/],
    ];
    for (const [apiKey, why] of cases) {
      // The option (a string, or RESONANT_API_KEY through it), and a key function's answer.
      const fixed = new ResonantClient({ apiKey, baseURL, fetch: viaMock, logLevel: "off", maxRetries: 3 });
      const answered = new ResonantClient({ apiKey: async () => apiKey, baseURL, fetch: viaMock, logLevel: "off" });
      for (const [client, who] of [
        [fixed, /^The apiKey option \(or RESONANT_API_KEY\) /],
        [answered, /^The apiKey function returned a key that /],
      ] as const) {
        const error = await client.agents.list().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ResonantError);
        expect(error).not.toBeInstanceOf(APIConnectionError);
        expect((error as Error).message).toMatch(who);
        expect((error as Error).message).toMatch(why);
        expect((error as Error).message).not.toContain("SECRET");
      }
    }
    expect(sent).toHaveLength(0);
    // A Latin-1 key can be sent as it is.
    const latin = new ResonantClient({ apiKey: `${DEMO_API_KEY}\u00e9`, baseURL, fetch: viaMock, logLevel: "off" });
    await latin.agents.list().catch(() => {});
    expect(sent).toHaveLength(1);
  });

  test("apiKeyProblem (the Node entry's) says what is wrong with a key, as the client refuses it", async () => {
    const { apiKeyProblem } = await import("../../src/index.node.js");
    expect(apiKeyProblem("rg_live_sk_abc\r")).toBe("ends with a carriage return (a CRLF .env file?)");
    expect(apiKeyProblem("")).toBe("is empty");
    expect(apiKeyProblem("rg_live_sk_abc")).toBeUndefined();
  });

  test("the transport refuses exactly the keys apiKeyProblem finds fault with (property)", async () => {
    const { apiKeyProblem } = await import("../../src/index.node.js");
    // Keys near the edges: ASCII, Latin-1 and its controls, Unicode spaces, astral and lone surrogates.
    const char = fc.oneof(
      fc.constantFrom(" ", "\t", "\r", "\n", "\u0000", "\u001f", "\u007f", "\u0085", "\u009f", "\u00a0", "\u00ff"),
      fc.constantFrom("\u0100", "\u2028", "\u3000", "\ufeff", "\ud800", "\udfff", "\u{1f600}"),
      fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    );
    const key = fc.array(char, { maxLength: 6 }).map((parts) => `rg_test_sk_${parts.join("")}`);
    const prefixed = fc.tuple(fc.array(char, { maxLength: 2 }), key).map(([lead, k]) => lead.join("") + k);
    await fc.assert(
      fc.asyncProperty(prefixed, async (apiKey) => {
        let sends = 0;
        const counting: Fetch = async () => {
          sends += 1;
          return new Response('{"object":"list","data":[],"has_more":false,"next_cursor":null}');
        };
        const client = new ResonantClient({ apiKey, baseURL, fetch: counting, logLevel: "off", maxRetries: 0 });
        const error = await client.agents.list().then(
          () => undefined,
          (e: unknown) => e,
        );
        const problem = apiKeyProblem(apiKey);
        expect({ sent: sends === 1, refused: error !== undefined }).toEqual({
          sent: problem === undefined,
          refused: problem !== undefined,
        });
        if (problem !== undefined) expect((error as Error).message).toContain(problem);
      }),
      { numRuns: 400 },
    );
  });

  test("a key function's own error is an APIConnectionError with it as cause; a TypeError (fetch's) is retried", async () => {
    const failing = new ResonantClient({
      apiKey: () => {
        throw new Error("vault sealed");
      },
      baseURL,
      fetch: viaMock,
    });
    const error = await failing.agents.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe("Connection error: vault sealed");
    expect((error as Error).cause).toEqual(new Error("vault sealed"));
    let calls = 0;
    const once = new ResonantClient({
      apiKey: async () => {
        if (calls++ === 0) throw new TypeError("fetch failed");
        return DEMO_API_KEY;
      },
      baseURL,
      fetch: viaMock,
      logLevel: "off",
    });
    await once.agents.list();
    expect(calls).toBe(2);
  });

  test("withOptions copies the client with other options", async () => {
    const client = new ResonantClient({ apiKey: DEMO_API_KEY, baseURL, fetch: viaMock, logLevel: "off" });
    const legacy = client.withOptions({ apiVersion: "1.0", versioning: "header" });
    expect(legacy.apiVersion).toBe("1.0");
    expect(client.apiVersion).toBe("1.2");
    api.setVersionState("1.0", "current");
    await legacy.agents.list();
    expect(sent[0]?.headers.get("x-api-version")).toBe("1.0");
    expect(legacy).toBeInstanceOf(ResonantClient);
  });

  test("per-call headers are sent", async () => {
    const client = new ResonantClient({
      apiKey: DEMO_API_KEY,
      baseURL,
      fetch: viaMock,
      defaultHeaders: { "x-app": "a" },
    });
    await client.agents.list({}, { headers: { "x-trace": "t1" } });
    expect(sent[0]?.headers.get("x-trace")).toBe("t1");
    expect(sent[0]?.headers.get("x-app")).toBe("a");
  });

  test("the exported API_VERSIONS table is docs/protocol.md section 1's, written out", () => {
    expect(API_VERSIONS).toEqual({
      "1.0": { status: "deprecated", deprecatedSince: "2025-09-01", sunset: "2026-03-01", upgradeTo: "v1.2" },
      "1.1": { status: "supported", deprecatedSince: "2025-12-01", sunset: "2026-06-01", upgradeTo: "v1.2" },
      "1.2": { status: "current", deprecatedSince: null, sunset: null, upgradeTo: null },
    });
  });

  test("a request carries only headers docs/protocol.md names, and the caller's own", async () => {
    // A header of our own would have to be allowed by the API's CORS rules, or every call from a page would fail.
    const PROTOCOL = ["accept", "authorization", "content-type", "idempotency-key", "x-api-version"];
    for (const versioning of ["path", "header"] as const) {
      const client = new ResonantClient({
        apiKey: DEMO_API_KEY,
        baseURL,
        fetch: viaMock,
        versioning,
        defaultHeaders: { "x-app": "a" },
      });
      await client.agents.list();
      await client.agents.create({ name: `named-${versioning}` });
      await client.agents.list({}, { headers: { "x-trace": "t" } });
    }
    expect(sent).toHaveLength(6);
    const names = new Set(sent.flatMap((request) => [...request.headers.keys()]));
    expect([...names].filter((name) => !PROTOCOL.includes(name)).sort()).toEqual(["x-app", "x-trace"]);
  });
});

describe("browsers", () => {
  test("a static key in a page needs dangerouslyAllowBrowser; a key function does not", () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
    expect(() => new ResonantClient({ apiKey: "rg_live_sk_x" })).toThrow(ResonantError);
    expect(() => new ResonantClient({ apiKey: "rg_live_sk_x" })).toThrow(/dangerouslyAllowBrowser/);
    expect(() => new ResonantClient({ apiKey: "rg_live_sk_x", dangerouslyAllowBrowser: true })).not.toThrow();
    expect(() => new ResonantClient({ apiKey: async () => "token" })).not.toThrow();
  });
});
