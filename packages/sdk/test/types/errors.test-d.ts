import { describe, expectTypeOf, test } from "vitest";
import { NotFoundError, RateLimitError, RequestValidationError, UnsupportedFeatureError } from "@resonantgenesis/sdk";

describe("error constructors take (message, init), init shaped like toJSON()", () => {
  test("an error's toJSON() builds it again", () => {
    const err = new RateLimitError("429 Too Many Requests", { status: 429, retryAfter: 2 });
    const json = err.toJSON();
    expectTypeOf(json.retryAfter).toEqualTypeOf<number | undefined>();
    expectTypeOf(json.headers).toEqualTypeOf<Record<string, string>>();
    expectTypeOf(new RateLimitError(json.message, json)).toEqualTypeOf<RateLimitError>();
    new NotFoundError("404", { status: 404, code: "agent_not_found", headers: { "x-request-id": "req_1" } });
  });

  test("required fields are required, unknown ones refused", () => {
    // @ts-expect-error status is required
    new NotFoundError("404", { code: "agent_not_found" });
    // @ts-expect-error a NotFoundError has no retryAfter
    new NotFoundError("404", { status: 404, retryAfter: 1 });
    // @ts-expect-error feature, apiVersion and requiredVersion are required
    new UnsupportedFeatureError(undefined, { feature: "teams" });
    new RequestValidationError(undefined, { issues: [{ path: "body.name", message: "is required" }] });
    // @ts-expect-error the message comes first, the init second (2.0 never had a one-argument form)
    new RequestValidationError({ issues: [] });
  });
});
