import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import {
  type APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  ResponseValidationError,
  UnprocessableEntityError,
} from "@resonantgenesis/sdk";
import { BASE_URL, useMock, version } from "./harness.js";
import { inspect } from "node:util";

const mock = useMock();
const missing = "00000000-0000-4000-8000-000000000000";
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe(`either error form fills the same fields (API ${version})`, () => {
  test("404: NotFoundError with status, code, request id", async () => {
    const error = await failure(mock.client().agents.get(missing));
    expect(error).toBeInstanceOf(NotFoundError);
    const e = error as NotFoundError;
    expect(e.status).toBe(404);
    // The same code on every version: the older form's "Agent not found" names the kind as 1.2's code does.
    expect(e.code).toBe("agent_not_found");
    expect(e.requestId).toMatch(/^req_/);
    expect(e.requestId).toBe(e.headers.get("x-request-id"));
    expect(((await failure(mock.client().sessions.get(missing))) as NotFoundError).code).toBe("session_not_found");
  });

  test("422 from the server: details per field path", async () => {
    // A fetch that swaps the body sends it past our own validation, as another client would.
    const raw = await failure(
      mock
        .client({
          fetch: (req, init) => fetch(new Request(req, { ...init, body: JSON.stringify({ name: "" }) }), init),
        })
        .agents.create({ name: "valid" }),
    );
    expect(raw).toBeInstanceOf(UnprocessableEntityError);
    expect((raw as UnprocessableEntityError).details).toHaveProperty("name");
    expect((raw as UnprocessableEntityError).code).toBe("validation_error");
  });

  test("401 and 403", async () => {
    expect(await failure(mock.client({ apiKey: "rg_test_sk_nobody" }).agents.list())).toBeInstanceOf(
      AuthenticationError,
    );
    const { key } = mock.api.createAccount({ scopes: ["agents:read"] });
    const reader = mock.client({ apiKey: key });
    await expect(reader.agents.list()).resolves.toBeDefined();
    expect(await failure(reader.agents.create({ name: "x" }))).toBeInstanceOf(PermissionDeniedError);
  });

  test("409 on a reused idempotency key with another body", async () => {
    const client = mock.client();
    await client.agents.create({ name: "one" }, { idempotencyKey: "same-key" });
    const error = await failure(client.agents.create({ name: "two" }, { idempotencyKey: "same-key" }));
    expect(error).toBeInstanceOf(ConflictError);
    if (version === "1.2") expect((error as ConflictError).code).toBe("idempotency_key_reused");
  });
});

describe("bodies that gateways send", () => {
  const route = `${BASE_URL}/v${version}/agents/${missing}`;

  test("an HTML 502 page", async () => {
    mock.server.use(
      http.get(
        route,
        () =>
          new HttpResponse("<html><body><h1>502 Bad Gateway</h1></body></html>", {
            status: 502,
            headers: { "content-type": "text/html" },
          }),
      ),
    );
    const error = await failure(mock.client({ maxRetries: 0 }).agents.get(missing));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as APIError).status).toBe(502);
    expect((error as APIError).message).toMatch(/502/);
  });

  test("plain text and empty bodies", async () => {
    mock.server.use(http.get(route, () => new HttpResponse("upstream overloaded", { status: 400 }), { once: true }));
    const text = await failure(mock.client().agents.get(missing));
    expect(text).toBeInstanceOf(BadRequestError);
    expect((text as APIError).message).toContain("upstream overloaded");
    mock.server.use(http.get(route, () => new HttpResponse(null, { status: 404 }), { once: true }));
    const empty = await failure(mock.client().agents.get(missing));
    expect(empty).toBeInstanceOf(NotFoundError);
    expect((empty as APIError).message).toMatch(/404/);
  });

  test("a 200 whose body breaks the version's schema", async () => {
    mock.server.use(
      http.get(
        route,
        () => HttpResponse.json({ id: missing, object: "agent", name: 42 }, { headers: { "x-request-id": "req_bad" } }),
        { once: true },
      ),
    );
    const error = await failure(mock.client().agents.get(missing));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).requestId).toBe("req_bad");
    expect((error as ResponseValidationError).issues.map((i) => i.path)).toContain("name");
    // Turning validation off hands the body through untouched.
    mock.server.use(http.get(route, () => HttpResponse.json({ id: missing, name: 42 }), { once: true }));
    const loose = await mock.client({ validateResponses: false }).agents.get(missing);
    expect(loose).toEqual({ id: missing, name: 42 });
  });
});

describe("no secret in any error", () => {
  test("the key never shows in message, toString, toJSON, stack or inspect", async () => {
    const { key } = mock.api.createAccount({ scopes: ["agents:read"] });
    const error = await failure(mock.client({ apiKey: key }).agents.create({ name: "x" }));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    const e = error as APIError;
    for (const text of [e.message, String(e), JSON.stringify(e), e.stack ?? "", inspect(e, { depth: 10 })]) {
      expect(text).not.toContain(key);
    }
    expect(e.headers.get("authorization")).toBeNull();
  });
});
