// The CLI reads error bodies and hides secrets with the SDK's one parser and
// one redactor, so a field path and a redacted key read the same in an SDK
// error, a failure log line and the terminal.
import { v1_2 } from "@resonantgenesis/schemas";
import * as sdk from "@resonantgenesis/sdk";
import { describe, expect, test } from "vitest";
import { copySides } from "../src/commands/copy-checks.js";
import { fromSide, hintFor, itemErrorFacts, refusalFacts } from "../src/core/errors.js";
import { fatalToCliError } from "../src/core/importer.js";
import { CliError } from "../src/exit.js";
import { fileError } from "../src/fs/file-error.js";
import { redact, registerSecret } from "../src/ui/redact.js";

describe("an import item's error reads as the SDK's errors read it", () => {
  const forms = {
    "1.0/1.1 detail list": { detail: [{ loc: ["body", "name"], msg: "field required", type: "value_error.missing" }] },
    "1.2 error object": {
      code: "validation_error",
      message: "Validation failed",
      request_id: "req_item",
      details: { fields: { name: ["field required"] } },
    },
  };

  test.each(Object.entries(forms))(
    "%s: the field path has no `body.` prefix, as in the SDK's details",
    (_form, error) => {
      const facts = itemErrorFacts(error, "req_call");
      // What the SDK makes an UnprocessableEntityError's details and message from (its errors.test.ts pins that).
      const answer = sdk.parseErrorBody(JSON.stringify(error), 422, "application/json");
      expect(answer.details).toEqual({ name: ["field required"] });
      expect(facts.code).toBe("validation_error");
      expect(facts.status).toBe(422);
      expect(facts.message).toBe("Validation failed (name: field required)");
      expect(facts.message).toBe(answer.message);
      expect(facts.message).not.toContain("body.");
    },
  );

  test.each(Object.entries(forms))(
    "%s: a call refused whole (a migrate PATCH, an import batch) reads as the same item refused in an answer",
    async (form, error) => {
      const body = JSON.stringify(form.startsWith("1.2") ? { error } : error);
      const client = new sdk.ResonantClient({
        apiKey: "rg_test_sk_refusal0000000000000000",
        baseURL: "http://127.0.0.1:9/api",
        maxRetries: 0,
        logLevel: "off",
        fetch: async () =>
          new Response(body, {
            status: 422,
            headers: { "content-type": "application/json", "x-request-id": "req_call" },
          }),
      });
      const refused = (await client.agents
        .update("4f1c0000-0000-4000-8000-000000000000", { name: "x" })
        .catch((e: unknown) => e)) as sdk.UnprocessableEntityError;
      expect(refused).toBeInstanceOf(sdk.UnprocessableEntityError);
      // The SDK's message says more (the status line, the request): the log's other fields hold that.
      expect(refused.message).toMatch(/^422 Unprocessable Entity/);
      expect(refusalFacts(refused)).toEqual(itemErrorFacts(error, "req_call"));
    },
  );

  test("the item's own request id wins over the call's; codes and plain details are kept", () => {
    expect(
      itemErrorFacts({ code: "agent_not_found", message: "No agent 4f1c", request_id: "req_item" }, "req_call"),
    ).toEqual({
      code: "agent_not_found",
      message: "No agent 4f1c",
      status: 404,
      requestId: "req_item",
    });
    expect(itemErrorFacts({ error: { code: "name_taken", message: "Name in use" } }, "req_call")).toMatchObject({
      code: "name_taken",
      requestId: "req_call",
    });
    expect(itemErrorFacts({ detail: "Agent not found" }, null)).toMatchObject({
      code: "error",
      message: "Agent not found",
      status: null,
    });
    expect(itemErrorFacts({ detail: { code: "version_conflict", message: "stale" } }, null)).toMatchObject({
      code: "version_conflict",
      message: "stale",
    });
  });
});

describe("itemErrorFacts: an item refused inside an import answer has the status its code stands for", () => {
  test("every error code of the protocol gives its status, and a code it does not list none", () => {
    const statusOf = (code: string) => itemErrorFacts({ code, message: "refused" }, null).status;
    for (const code of v1_2.ErrorCode.options) expect(statusOf(code), code).toEqual(expect.any(Number));
    expect([statusOf("validation_error"), statusOf("tool_not_found"), statusOf("name_taken")]).toEqual([422, 404, 409]);
    expect([statusOf("quota_exceeded"), statusOf("toString"), statusOf("conflict")]).toEqual([null, null, null]);
  });
});

describe("one redaction", () => {
  test("the CLI's redact is the SDK's, with the SDK's form", () => {
    expect(redact).toBe(sdk.redact);
    expect(redact("key rg_test_sk_abc123 and whsec_xyz789 and Bearer tok.en")).toBe(
      "key rg_test_sk_*** and whsec_*** and Bearer ***",
    );
  });

  test("a registered secret is hidden by the CLI and by the SDK's errors alike", () => {
    const secret = "opaque-secret-9f8e7d";
    expect(redact(`got ${secret}`)).toBe(`got ${secret}`);
    registerSecret(secret);
    expect(redact(`got ${secret}!`)).toBe("got ***!");
    expect(new sdk.APIConnectionError(`could not send ${secret}`).message).toBe("could not send ***");
    registerSecret("rg_live_sk_Registered_1");
    expect(redact("x rg_live_sk_Registered_1 y")).toBe("x rg_live_sk_*** y");
  });
});

describe("the hint after an error that ends a run", () => {
  const gone = (upgradeTo: string) =>
    new sdk.ApiVersionGoneError("410 Gone", {
      status: 410,
      headers: {},
      body: undefined,
      apiVersion: "1.0",
      upgradeTo,
    });

  test("a gone version names the version to run with: the server's, or the current one when this CLI lacks it", () => {
    expect(hintFor(gone("v1.1"))).toMatch(/^the server no longer serves API 1\.0: run again with --api-version 1\.1 /);
    expect(hintFor(gone("v9.9"))).toMatch(/run again with --api-version 1\.2 /);
    // Wrapped by the importer's fatal ending, with the resume hint in its message.
    expect(hintFor(new CliError("410 Gone; run again with --resume", { cause: gone("v1.2") }))).toMatch(/1\.2/);
  });

  test("nothing listening, or no such host, points at the base URL; a cut connection does not", () => {
    const socket = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
    const refused = new sdk.APIConnectionError("Connection error", {
      cause: new TypeError("fetch failed", { cause: socket("ECONNREFUSED") }),
    });
    expect(hintFor(refused)).toMatch(/^no server answered: check --base-url/);
    expect(hintFor(new sdk.APIConnectionError("x", { cause: socket("ENOTFOUND") }))).toMatch(/--base-url/);
    expect(hintFor(new sdk.APIConnectionError("x", { cause: socket("ECONNRESET") }))).toBeUndefined();
    expect(hintFor(new Error("anything else"))).toBeUndefined();
    expect(hintFor(new sdk.APITimeoutError())).toMatch(/a longer --timeout \(seconds, default 60\)$/);
  });

  test("a 404 that is a page or text, not the API's JSON error, points at the base URL; the API's own 404 does not", () => {
    const notFound = (body: unknown) => new sdk.NotFoundError("404 Not Found", { status: 404, headers: {}, body });
    expect(hintFor(notFound("<html><title>404 Not Found</title></html>"))).toMatch(
      /^the server at the base URL answered 404 with no API error: .*check --base-url/,
    );
    expect(hintFor(notFound(undefined))).toMatch(/check --base-url/);
    expect(hintFor(notFound({ error: { code: "agent_not_found", message: "Agent not found" } }))).toBeUndefined();
  });
});

describe("an error that ends a run: --resume only where running again can get past it", () => {
  const init = (status: number) => ({ status, headers: {}, body: undefined });
  const resume = "the checkpoint x.checkpoint keeps what was acknowledged: run again with --resume";
  const ending = (error: unknown) => fatalToCliError(error, "x.checkpoint").message;

  test("the network, a timeout, 408, 429 and 5xx are; a refused key, missing rights and a gone version are not", () => {
    for (const error of [
      new sdk.APIConnectionError("Connection error"),
      new sdk.APITimeoutError(),
      new sdk.RateLimitError("429 Too Many Requests", init(429)),
      new sdk.InternalServerError("503 Service Unavailable", init(503)),
      new sdk.APIError("408 Request Timeout", init(408)),
      new Error("ENOSPC: no space left on device"),
    ])
      expect(ending(error)).toContain(resume);
    for (const error of [
      new sdk.AuthenticationError("401 Unauthorized", init(401)),
      new sdk.PermissionDeniedError("403 Forbidden", init(403)),
      new sdk.ApiVersionGoneError("410 Gone", init(410)),
    ])
      expect(ending(error)).not.toContain("--resume");
  });

  test("a file of the run on a full disk or over its quota is, once a checkpoint holds the run; other CLI errors are kept as they are", () => {
    for (const code of ["ENOSPC", "EDQUOT"]) {
      const full = fileError("--failures", "f.ndjson", Object.assign(new Error(code), { code }));
      expect(ending(full)).toBe(`${full.message}; ${resume}`);
      expect(fatalToCliError(full, undefined)).toBe(full);
    }
    const refused = new CliError("--failures -: standard output cannot hold it; name a file");
    expect(fatalToCliError(refused, "x.checkpoint")).toBe(refused);
    const denied = fileError("--failures", "f.ndjson", Object.assign(new Error("EACCES"), { code: "EACCES" }));
    expect(fatalToCliError(denied, "x.checkpoint")).toBe(denied);
  });

  test("a copy's side is named, and the hint gives that side's flags", () => {
    const { source, target } = copySides("https://user:pw@a.example/api?t=1", "http://127.0.0.1:9/api/");
    expect(source.label).toBe("the source (--base-url https://a.example/api)");
    const refused = fatalToCliError(fromSide(new sdk.AuthenticationError("401 Unauthorized", init(401)), target), "x");
    expect(refused.message).toBe("the target (--to-base-url http://127.0.0.1:9/api): 401 Unauthorized");
    expect(hintFor(refused)).toBe("the key was refused: check --to-key (or RESONANT_TO_API_KEY)");
    const rights = fatalToCliError(fromSide(new sdk.PermissionDeniedError("403 Forbidden", init(403)), source), "x");
    expect(hintFor(rights)).toBe("the key lacks the rights this needs: check --api-key (or RESONANT_API_KEY)");
    const page = new sdk.NotFoundError("404 Not Found", { ...init(404), body: "<html></html>" });
    expect(hintFor(fatalToCliError(fromSide(page, target), "x"))).toMatch(/check --to-base-url, the API's root/);
    const gone = new sdk.ApiVersionGoneError("410 Gone", { ...init(410), apiVersion: "1.1", upgradeTo: "v1.2" });
    expect(hintFor(fatalToCliError(fromSide(gone, source), "x"))).toMatch(
      /^the server no longer serves API 1\.1: run again with --api-version 1\.2;/,
    );
    // An error of this machine is neither account's.
    expect(fatalToCliError(fromSide(new Error("ENOSPC"), target), "x").message).toMatch(/^ENOSPC/);
  });
});
