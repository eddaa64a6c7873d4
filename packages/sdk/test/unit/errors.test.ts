import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { fromErrorData, toErrorData } from "../../src/internal/error-data.js";
import { locToPath, makeAPIError } from "../../src/core/error-factory.js";
import { registerSecret } from "../../src/core/redact.js";
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  ApiVersionGoneError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  RequestValidationError,
  ResonantError,
  ResponseValidationError,
  UnprocessableEntityError,
  UnsupportedFeatureError,
  WebhookSignatureError,
} from "../../src/core/errors.js";

const KEY = "rg_live_sk_AbC123secretVALUE_xyz";

describe("class hierarchy", () => {
  const cases: [number, new (...a: never[]) => APIError, string][] = [
    [400, BadRequestError, "BadRequestError"],
    [401, AuthenticationError, "AuthenticationError"],
    [403, PermissionDeniedError, "PermissionDeniedError"],
    [404, NotFoundError, "NotFoundError"],
    [409, ConflictError, "ConflictError"],
    [410, ApiVersionGoneError, "ApiVersionGoneError"],
    [413, RequestTooLargeError, "RequestTooLargeError"],
    [422, UnprocessableEntityError, "UnprocessableEntityError"],
    [429, RateLimitError, "RateLimitError"],
    [500, InternalServerError, "InternalServerError"],
    [502, InternalServerError, "InternalServerError"],
    [503, InternalServerError, "InternalServerError"],
  ];
  it.each(cases)("status %i makes %o", (status, Class, name) => {
    const err = makeAPIError({ status, body: "" });
    expect(err).toBeInstanceOf(Class);
    expect(err).toBeInstanceOf(APIError);
    expect(err).toBeInstanceOf(ResonantError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe(name);
    expect(err.status).toBe(status);
    expect(String(err)).toMatch(new RegExp(`^${name}: `));
    expect(err.stack).toMatch(new RegExp(`^${name}: `));
  });

  it("uses the generic APIError for other statuses", () => {
    const err = makeAPIError({ status: 418, body: "" });
    expect(err.constructor).toBe(APIError);
    expect(err.name).toBe("APIError");
  });

  it("names the non-HTTP errors", () => {
    const timeout = new APITimeoutError();
    expect(timeout).toBeInstanceOf(APIConnectionError);
    expect(timeout).toBeInstanceOf(ResonantError);
    expect(timeout.name).toBe("APITimeoutError");
    expect(new APIConnectionError().name).toBe("APIConnectionError");
    expect(new ResponseValidationError(undefined, { issues: [] }).name).toBe("ResponseValidationError");
    expect(new RequestValidationError(undefined, { issues: [] }).name).toBe("RequestValidationError");
    expect(new WebhookSignatureError("x", { reason: "signature_mismatch" }).name).toBe("WebhookSignatureError");
  });

  it("formats UnsupportedFeatureError", () => {
    const err = new UnsupportedFeatureError(undefined, { feature: "teams", apiVersion: "1.0", requiredVersion: "1.2" });
    expect(err.message).toBe("teams needs API version 1.2; this client is pinned to 1.0");
    expect(err).toMatchObject({ feature: "teams", apiVersion: "1.0", requiredVersion: "1.2" });
  });

  it("lists every bad path in RequestValidationError", () => {
    const err = new RequestValidationError(undefined, {
      issues: [
        { path: "agents.0.name", message: "required" },
        { path: "agents.3.temperature", message: "must be at most 2" },
        { path: "", message: "bad root" },
      ],
    });
    expect(err.message).toContain("agents.0.name: required");
    expect(err.message).toContain("agents.3.temperature: must be at most 2");
    expect(err.message).toContain("(root): bad root");
  });

  it("keeps the cause", () => {
    const cause = new TypeError("fetch failed");
    expect(new APIConnectionError("down", { cause }).cause).toBe(cause);
  });
});

describe("makeAPIError: both API body forms fill the same fields", () => {
  it("reads the 1.2 form", () => {
    const err = makeAPIError({
      status: 404,
      headers: { "x-request-id": "req_header" },
      body: JSON.stringify({
        error: { code: "agent_not_found", message: "No agent with id 4f1c", request_id: "req_8Yk2" },
      }),
    });
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.code).toBe("agent_not_found");
    expect(err.requestId).toBe("req_8Yk2");
    expect(err.type).toBe("invalid_request_error");
    expect(err.message).toContain("No agent with id 4f1c");
    expect(err.message).toContain("404");
    expect(err.body).toEqual({ error: expect.objectContaining({ code: "agent_not_found" }) });
  });

  it("reads the 1.0/1.1 string detail and derives the code", () => {
    const err = makeAPIError({
      status: 404,
      headers: { "X-Request-Id": "req_abc" },
      body: '{"detail": "Agent not found"}',
    });
    expect(err.code).toBe("agent_not_found");
    expect(err.requestId).toBe("req_abc");
    expect(err.message).toContain("Agent not found");
    expect(makeAPIError({ status: 404, body: '{"detail": "Not Found"}' }).code).toBe("not_found");
    expect(makeAPIError({ status: 401, body: '{"detail": "Invalid API key"}' }).code).toBe("api_key_invalid");
    expect(makeAPIError({ status: 401, body: '{"detail": "Token expired"}' }).code).toBe("token_expired");
    expect(makeAPIError({ status: 403, body: '{"detail": "nope"}' }).code).toBe("insufficient_permissions");
    expect(makeAPIError({ status: 429, body: '{"detail": "slow down"}' }).code).toBe("rate_limit_exceeded");
    expect(makeAPIError({ status: 500, body: '{"detail": "boom"}' }).code).toBe("internal_error");
    // 504 is not in section 3: a gateway's, like 502, so 502's code (the mock answers the same).
    expect(makeAPIError({ status: 504, body: "<html><title>504 Gateway Time-out</title></html>" }).code).toBe(
      "upstream_error",
    );
  });

  it("reads an object detail", () => {
    const err = makeAPIError({ status: 409, body: '{"detail": {"code": "name_taken", "message": "Name in use"}}' });
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.code).toBe("name_taken");
    expect(err.message).toContain("Name in use");
  });

  it("fills details from 1.2 details.fields and from a FastAPI detail list alike", () => {
    const v12 = makeAPIError({
      status: 422,
      body: JSON.stringify({
        error: {
          code: "validation_error",
          message: "Invalid body",
          details: { fields: { name: ["must be 1 to 100 characters"] } },
        },
      }),
    }) as UnprocessableEntityError;
    const v10 = makeAPIError({
      status: 422,
      body: JSON.stringify({
        detail: [{ loc: ["body", "name"], msg: "must be 1 to 100 characters", type: "value_error" }],
      }),
    }) as UnprocessableEntityError;
    for (const err of [v12, v10]) {
      expect(err).toBeInstanceOf(UnprocessableEntityError);
      expect(err.details).toEqual({ name: ["must be 1 to 100 characters"] });
      expect(err.code).toBe("validation_error");
      expect(err.message).toContain("name: must be 1 to 100 characters");
    }
  });

  it("groups several messages per field and keeps nested paths", () => {
    const err = makeAPIError({
      status: 422,
      body: JSON.stringify({
        detail: [
          { loc: ["body", "agent_ids", 0], msg: "not a uuid" },
          { loc: ["query", "limit"], msg: "too big" },
          { loc: ["query", "limit"], msg: "not even" },
        ],
      }),
    }) as UnprocessableEntityError;
    expect(err.details).toEqual({ "agent_ids.0": ["not a uuid"], limit: ["too big", "not even"] });
  });

  it("reads an object under `detail` as it reads 1.2's error object (a proxy or framework may nest it so)", () => {
    const detail = { message: "stale", msg: "ignored", code: "version_conflict", request_id: "req_9", type: "x_error" };
    const err = makeAPIError({ status: 409, body: JSON.stringify({ detail }) });
    expect(err).toMatchObject({ code: "version_conflict", requestId: "req_9", type: "x_error" });
    expect(err.message).toBe("409 Conflict [version_conflict]: stale (request req_9)");
    expect(makeAPIError({ status: 400, body: '{"detail":{"msg":"bad"}}' }).message).toBe(
      "400 Bad Request [invalid_parameter]: bad",
    );
  });

  it("turns locs into paths", () => {
    expect(locToPath(["body", "name"])).toBe("name");
    expect(locToPath(["path", "id"])).toBe("id");
    expect(locToPath(["body", "metadata", "k"])).toBe("metadata.k");
    expect(locToPath(["body"])).toBe("(root)");
    expect(locToPath(["header", "x"])).toBe("header.x");
  });
});

describe("makeAPIError: bodies that are not the API's", () => {
  it("says when there is no body", () => {
    const err = makeAPIError({ status: 404, body: "" });
    expect(err.message).toBe("404 Not Found (no body)");
    expect(err.code).toBe("not_found");
    expect(err.body).toBeUndefined();
  });

  it("appends the request id from the header", () => {
    const err = makeAPIError({ status: 503, headers: { "x-request-id": "req_9" }, body: null });
    expect(err.requestId).toBe("req_9");
    expect(err.message).toContain("503 Service Unavailable (no body)");
    expect(err.message).toContain("req_9");
  });

  it("summarises an HTML gateway page without tags", () => {
    const html =
      "<html><head><title>502 Bad Gateway</title><style>body{}</style></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>";
    const err = makeAPIError({ status: 502, headers: { "content-type": "text/html" }, body: html });
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.message).toBe("502 Bad Gateway (HTML error page)");
    expect(err.body).toBe(html);
  });

  it("keeps an HTML title that says more than the status", () => {
    const err = makeAPIError({ status: 503, body: "<html><title>Maintenance until 12:00</title></html>" });
    expect(err.message).toBe("503 Service Unavailable: Maintenance until 12:00");
  });

  it("strips tags of HTML without a title", () => {
    const err = makeAPIError({ status: 500, body: "<p>Something <b>broke</b></p>" });
    expect(err.message).toBe("500 Internal Server Error: Something broke");
    expect(err.code).toBe("internal_error");
  });

  it("uses plain text as the message, shortened", () => {
    const err = makeAPIError({ status: 503, body: `upstream connect error ${"x".repeat(1000)}` });
    expect(err.message.startsWith("503 Service Unavailable: upstream connect error")).toBe(true);
    expect(err.message.length).toBeLessThan(400);
    expect(err.code).toBe("service_unavailable");
  });

  it("survives truncated JSON", () => {
    const err = makeAPIError({ status: 500, body: '{"error": {"code": "inter' });
    expect(err.message).toContain('{"error"');
  });

  it("prefers the transport's status text", () => {
    expect(makeAPIError({ status: 599, statusText: "Weird", body: "" }).message).toBe("599 Weird (no body)");
  });
});

describe("makeAPIError: status-specific fields", () => {
  it("reads 410 headers", () => {
    const err = makeAPIError({
      status: 410,
      apiVersion: "1.0",
      headers: { "X-API-Upgrade-To": "v1.2", "X-API-Sunset-Date": "2026-03-01" },
      body: '{"error": {"code": "api_version_gone", "message": "API version 1.0 is gone"}}',
    }) as ApiVersionGoneError;
    expect(err).toBeInstanceOf(ApiVersionGoneError);
    expect(err).toMatchObject({
      apiVersion: "1.0",
      upgradeTo: "v1.2",
      sunsetDate: "2026-03-01",
      code: "api_version_gone",
    });
  });

  it("reads the RFC 8594 Sunset date and the served version when the others are absent", () => {
    const err = makeAPIError({
      status: 410,
      headers: { Sunset: "Sun, 01 Mar 2026 00:00:00 GMT", "X-API-Version": "1.0" },
      body: '{"detail": "gone"}',
    }) as ApiVersionGoneError;
    expect(err.sunsetDate).toBe("2026-03-01");
    expect(err.apiVersion).toBe("1.0");
    expect(err.code).toBe("api_version_gone");
  });

  it("reads Retry-After and retry-after-ms on 429", () => {
    const a = makeAPIError({ status: 429, headers: { "Retry-After": "7" }, body: "" }) as RateLimitError;
    expect(a.retryAfter).toBe(7);
    const b = makeAPIError({
      status: 429,
      headers: { "retry-after-ms": "1500", "Retry-After": "7" },
      body: "",
    }) as RateLimitError;
    expect(b.retryAfter).toBe(1.5);
    const c = makeAPIError({ status: 429, body: "" }) as RateLimitError;
    expect(c.retryAfter).toBeUndefined();
  });
});

describe("secrets never leak", () => {
  function leaks(err: Error, secret: string): string[] {
    const views = {
      message: err.message,
      toString: String(err),
      stack: err.stack ?? "",
      json: JSON.stringify(err),
      inspect: inspect(err, { depth: 10, showHidden: true }),
    };
    return Object.entries(views)
      .filter(([, text]) => text.includes(secret))
      .map(([view]) => view);
  }

  it("redacts keys and bearer tokens echoed in a body, and drops authorization", () => {
    const err = makeAPIError({
      status: 401,
      headers: { authorization: `Bearer ${KEY}`, "x-echo": `Bearer ${KEY}`, "x-request-id": "req_1" },
      body: JSON.stringify({ detail: `Invalid API key ${KEY} (Authorization: Bearer eyJhbGciOi.payload.sig)` }),
    });
    expect(leaks(err, KEY)).toEqual([]);
    expect(leaks(err, "eyJhbGciOi.payload.sig")).toEqual([]);
    expect(err.message).toContain("rg_live_sk_***");
    expect(err.headers.has("authorization")).toBe(false);
    expect(err.headers.get("x-request-id")).toBe("req_1");
    expect(JSON.stringify(err.body)).not.toContain(KEY);
  });

  it("redacts a key in a plain-text body and in hand-built errors", () => {
    expect(leaks(makeAPIError({ status: 500, body: `crash with ${KEY}` }), KEY)).toEqual([]);
    expect(leaks(new APIConnectionError(`could not send ${KEY}`), KEY)).toEqual([]);
    expect(
      leaks(new WebhookSignatureError("bad whsec_abcdef123", { reason: "signature_mismatch" }), "whsec_abcdef123"),
    ).toEqual([]);
    const v = new RequestValidationError(undefined, { issues: [{ path: "apiKey", message: `bad value ${KEY}` }] });
    expect(leaks(v, KEY)).toEqual([]);
  });

  it("redacts a key a gateway echoes in the fields read from headers and the body (request id, upgrade, code)", () => {
    const plain = "tok-PLAINsecret42";
    registerSecret(plain);
    const echoes = [
      makeAPIError({
        status: 502,
        headers: { "x-request-id": KEY, "content-type": "text/html" },
        body: "<h1>bad</h1>",
      }),
      makeAPIError({ status: 410, headers: { "x-api-upgrade-to": KEY, "x-api-version": plain }, body: null }),
      makeAPIError({
        status: 400,
        body: JSON.stringify({ error: { code: `bad_${KEY}`, type: plain, request_id: plain } }),
      }),
      new ResponseValidationError(undefined, { issues: [], requestId: plain, apiVersion: "1.2" }),
    ];
    for (const err of echoes) {
      expect(leaks(err, KEY)).toEqual([]);
      expect(leaks(err, plain)).toEqual([]);
    }
    expect((echoes[0] as APIError).requestId).toBe("rg_live_sk_***");
  });

  it("toJSON carries the useful fields", () => {
    const json = makeAPIError({
      status: 404,
      headers: { "x-request-id": "req_2" },
      body: '{"detail":"Agent not found"}',
    }).toJSON();
    expect(json).toMatchObject({ name: "NotFoundError", status: 404, code: "agent_not_found", requestId: "req_2" });
  });
});

describe("toErrorData / fromErrorData", () => {
  const samples: Error[] = [
    new ResonantError("base"),
    makeAPIError({
      status: 400,
      headers: { "x-request-id": "req_1" },
      body: '{"error":{"code":"invalid_json","message":"bad"}}',
    }),
    makeAPIError({ status: 401, body: '{"detail":"Invalid API key"}' }),
    makeAPIError({ status: 403, body: "" }),
    makeAPIError({ status: 404, body: '{"detail":"Agent not found"}' }),
    makeAPIError({ status: 409, body: "" }),
    makeAPIError({
      status: 410,
      apiVersion: "1.1",
      headers: { "x-api-upgrade-to": "v1.2", "x-api-sunset-date": "2026-06-01" },
      body: "",
    }),
    makeAPIError({ status: 413, body: "" }),
    makeAPIError({ status: 422, body: '{"detail":[{"loc":["body","name"],"msg":"field required"}]}' }),
    makeAPIError({ status: 429, headers: { "retry-after": "3" }, body: "" }),
    makeAPIError({ status: 502, body: "<title>Bad</title>" }),
    makeAPIError({ status: 418, body: "teapot" }),
    new APIConnectionError("offline", { cause: new TypeError("fetch failed") }),
    new APITimeoutError(),
    new ResponseValidationError(undefined, {
      issues: [{ path: "data.0.name", message: "expected string" }],
      requestId: "req_3",
      apiVersion: "1.2",
    }),
    new RequestValidationError(undefined, { issues: [{ path: "name", message: "required" }] }),
    new UnsupportedFeatureError(undefined, { feature: "tools", apiVersion: "1.0", requiredVersion: "1.1" }),
    new WebhookSignatureError("nope", { reason: "timestamp_out_of_tolerance" }),
  ];

  it.each(samples.map((e) => [e.name, e] as const))("round-trips %s through structuredClone", (_name, original) => {
    const copy = fromErrorData(structuredClone(toErrorData(original)));
    expect(copy.constructor).toBe(original.constructor);
    expect(copy.name).toBe(original.name);
    expect(copy.message).toBe(original.message);
    expect(copy.stack).toBe(original.stack);
    const plain = (e: Error) => {
      const { headers, ...rest } = e as Error & { headers?: Headers };
      return { ...rest, headers: headers ? [...headers] : undefined };
    };
    expect(plain(copy)).toEqual(plain(original));
    if (original instanceof ResonantError) expect((copy as ResonantError).toJSON()).toEqual(original.toJSON());
  });

  it("rebuilds the cause chain", () => {
    const copy = fromErrorData(
      toErrorData(new APIConnectionError("offline", { cause: new TypeError("fetch failed") })),
    );
    expect(copy).toBeInstanceOf(APIConnectionError);
    // A network failure's TypeError, which callers test with instanceof as they would on ResonantClient.
    expect(copy.cause).toBeInstanceOf(TypeError);
    expect((copy.cause as Error).name).toBe("TypeError");
    expect((copy.cause as Error).message).toBe("fetch failed");
  });

  it("keeps the language's own errors as their class, and others as errors with their name", () => {
    const copy = fromErrorData(toErrorData(new RangeError("out")));
    expect(copy).not.toBeInstanceOf(ResonantError);
    expect(copy).toBeInstanceOf(RangeError);
    expect(copy.name).toBe("RangeError");
    const custom = fromErrorData(toErrorData(Object.assign(new Error("x"), { name: "ZodError" })));
    expect([custom.constructor, custom.name]).toEqual([Error, "ZodError"]);
    expect(fromErrorData(toErrorData("thrown string")).message).toBe("thrown string");
  });

  it("redacts on the way out", () => {
    const data = toErrorData(new Error(`oops ${KEY}`));
    expect(JSON.stringify(data)).not.toContain(KEY);
  });
});
