/**
 * Every exported error class, built with every field it declares, comes back
 * as itself from `toJSON()` and from the SyncClient's wire form (a real
 * MessagePort, as the worker posts it): same class, same fields, same
 * message. A class added without a sample here, or missing from
 * `ERROR_CLASSES`, fails; a field its constructor does not assign fails too.
 */
import { inspect } from "node:util";
import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { fromErrorData, toErrorData, type ErrorData } from "../../src/internal/error-data.js";
import type { ErrorInit } from "../../src/core/errors.js";
import * as sdk from "../../src/index.js";
import { ResonantError } from "../../src/index.js";

const KEY = "rg_live_sk_AbC123secretVALUE_xyz";

type AnyErrorClass = abstract new (...args: never[]) => ResonantError;
/** Every field of the class, none left out (a type error names a missing one). */
type Fields<C extends AnyErrorClass> = Required<Omit<ErrorInit<InstanceType<C>>, "cause" | "message">>;

const api = {
  status: 418,
  code: "some_code",
  type: "invalid_request_error",
  requestId: "req_42",
  headers: { "content-type": "application/json", "x-request-id": "req_42" },
  body: { error: { code: "some_code", message: "no", nested: [1, "two", null] } },
} satisfies Fields<typeof sdk.APIError>;
const issues = [
  { path: "data.0.name", message: "must be a string" },
  { path: "(root)", message: "is invalid" },
];

function sample<C extends AnyErrorClass>(Class: C, fields: Fields<C>): [C, Record<string, unknown>] {
  return [Class, fields];
}

// One per exported class, with a value for every field (none left at its default).
const SAMPLES: Record<string, [AnyErrorClass, Record<string, unknown>]> = {
  ResonantError: sample(sdk.ResonantError, {}),
  APIError: sample(sdk.APIError, api),
  BadRequestError: sample(sdk.BadRequestError, { ...api, status: 400 }),
  AuthenticationError: sample(sdk.AuthenticationError, { ...api, status: 401 }),
  PermissionDeniedError: sample(sdk.PermissionDeniedError, { ...api, status: 403 }),
  NotFoundError: sample(sdk.NotFoundError, { ...api, status: 404 }),
  ConflictError: sample(sdk.ConflictError, { ...api, status: 409 }),
  ApiVersionGoneError: sample(sdk.ApiVersionGoneError, {
    ...api,
    status: 410,
    apiVersion: "1.0",
    upgradeTo: "v1.2",
    sunsetDate: "2026-03-01",
  }),
  RequestTooLargeError: sample(sdk.RequestTooLargeError, { ...api, status: 413 }),
  UnprocessableEntityError: sample(sdk.UnprocessableEntityError, {
    ...api,
    status: 422,
    details: { name: ["too long", "taken"] },
  }),
  RateLimitError: sample(sdk.RateLimitError, { ...api, status: 429, retryAfter: 1.5 }),
  InternalServerError: sample(sdk.InternalServerError, { ...api, status: 502 }),
  APIConnectionError: sample(sdk.APIConnectionError, {}),
  APITimeoutError: sample(sdk.APITimeoutError, {}),
  ResponseValidationError: sample(sdk.ResponseValidationError, { issues, requestId: "req_7", apiVersion: "1.1" }),
  RequestValidationError: sample(sdk.RequestValidationError, { issues }),
  UnsupportedFeatureError: sample(sdk.UnsupportedFeatureError, {
    feature: "teams",
    apiVersion: "1.0",
    requiredVersion: "1.2",
  }),
  WebhookSignatureError: sample(sdk.WebhookSignatureError, { reason: "timestamp_out_of_tolerance" }),
};

const exported = Object.entries(sdk as Record<string, unknown>)
  .filter(
    ([, value]) => typeof value === "function" && (value === ResonantError || value.prototype instanceof ResonantError),
  )
  .map(([name]) => name)
  .sort();

/** The wire the SyncClient uses: a MessagePort, read synchronously. */
function acrossThePort(data: ErrorData): ErrorData {
  const { port1, port2 } = new MessageChannel();
  try {
    port1.postMessage(data);
    return receiveMessageOnPort(port2)!.message as ErrorData;
  } finally {
    port1.close();
  }
}

function build([Class, fields]: [AnyErrorClass, Record<string, unknown>]): ResonantError {
  const Concrete = Class as unknown as new (message: string, init: object) => ResonantError;
  return new Concrete(`failed with ${KEY}`, { ...fields, cause: new TypeError(`fetch failed ${KEY}`) });
}

function expectSame(copy: Error, original: ResonantError, Class: AnyErrorClass): void {
  expect(copy).toBeInstanceOf(Class);
  expect(copy).toBeInstanceOf(ResonantError);
  expect(copy.constructor).toBe(Class);
  expect(copy.name).toBe(original.name);
  expect(copy.message).toBe(original.message);
  expect((copy as ResonantError).toJSON()).toEqual(original.toJSON());
}

describe("every exported error class", () => {
  it("has a sample here (so the round trips below cover it)", () => {
    expect(exported.length).toBeGreaterThan(10);
    expect(Object.keys(SAMPLES).sort()).toEqual(exported);
  });

  it("is in the exported ERROR_CLASSES under its name, which rebuilds it from its toJSON() as docs/errors.md shows", () => {
    const byName = sdk.ERROR_CLASSES as Record<string, unknown>;
    expect(Object.keys(byName).sort()).toEqual(exported);
    for (const name of exported) expect(byName[name]).toBe((sdk as Record<string, unknown>)[name]);
    const original = build(SAMPLES.RateLimitError!);
    const json = JSON.parse(JSON.stringify(original)) as sdk.ErrorJSON<sdk.RateLimitError>;
    const Class = sdk.ERROR_CLASSES[json.name as keyof typeof sdk.ERROR_CLASSES];
    expectSame(new Class(json.message, json as never), original, sdk.RateLimitError);
  });

  it.each(Object.keys(SAMPLES))("%s: (message, init) keeps every field, and init has toJSON's shape", (name) => {
    const [Class, fields] = SAMPLES[name]!;
    const err = build(SAMPLES[name]!);
    expect(err).toBeInstanceOf(Class);
    expect(err.name).toBe(name);
    expect(err.message).toBe("failed with rg_live_sk_***");
    expect((err.cause as Error).message).toContain("fetch failed");
    const { name: jsonName, message, ...jsonFields } = err.toJSON() as Record<string, unknown>;
    expect({ name: jsonName, message }).toEqual({ name, message: err.message });
    expect(jsonFields).toEqual(fields);
    for (const field of Object.keys(fields)) expect(Object.keys(err)).toContain(field);
  });

  it.each(Object.keys(SAMPLES))("%s: rebuilt from its toJSON()", (name) => {
    const [Class] = SAMPLES[name]!;
    const original = build(SAMPLES[name]!);
    const json = original.toJSON();
    const Concrete = Class as unknown as new (message: string, init: object) => ResonantError;
    expectSame(new Concrete(json.message, json), original, Class);
    // The message may also come from the init, as toJSON() carries it.
    expectSame(new Concrete(undefined as never, json), original, Class);
  });

  it.each(Object.keys(SAMPLES))("%s: crosses the SyncClient's thread boundary as itself", (name) => {
    const [Class] = SAMPLES[name]!;
    const original = build(SAMPLES[name]!);
    const data = acrossThePort(toErrorData(original));
    const copy = fromErrorData(data);
    expectSame(copy, original, Class);
    expect(copy.stack).toBe(original.stack);
    expect(copy.cause).toBeInstanceOf(Error);
    expect((copy.cause as Error).name).toBe("TypeError");
    // A foreign cause keeps its text, with the key redacted on the way out.
    expect((copy.cause as Error).message).toBe("fetch failed rg_live_sk_***");
    for (const view of [
      JSON.stringify(data),
      String(copy),
      copy.stack ?? "",
      JSON.stringify(copy),
      inspect(copy, { depth: 10, showHidden: true }),
    ]) {
      expect(view).not.toContain(KEY);
    }
  });
});

describe("a message left undefined", () => {
  it("is built from the fields, or taken from init.message", () => {
    const pairs: [ResonantError, ResonantError][] = [
      [
        new sdk.RequestValidationError(undefined, { issues }),
        new sdk.RequestValidationError("Invalid request: data.0.name: must be a string; (root): is invalid", {
          issues,
        }),
      ],
      [
        new sdk.ResponseValidationError(undefined, {
          issues,
          requestId: "req_1",
          apiVersion: "1.2",
          message: "own text",
        }),
        new sdk.ResponseValidationError("own text", { issues, requestId: "req_1", apiVersion: "1.2" }),
      ],
      [
        new sdk.UnsupportedFeatureError(undefined, { feature: "teams", apiVersion: "1.0", requiredVersion: "1.2" }),
        new sdk.UnsupportedFeatureError("teams needs API version 1.2; this client is pinned to 1.0", {
          feature: "teams",
          apiVersion: "1.0",
          requiredVersion: "1.2",
        }),
      ],
    ];
    for (const [built, given] of pairs) {
      expect(built.constructor).toBe(given.constructor);
      expect(built.toJSON()).toEqual(given.toJSON());
    }
    expect(pairs[0]![0].message).toBe("Invalid request: data.0.name: must be a string; (root): is invalid");
  });
});
