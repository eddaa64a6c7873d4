// Shared harness of the protocol contract tests. The tests check the mock
// against docs/protocol.md with plain `fetch`; nothing here reads
// the mock's internals, only its agreed public API (createMockApi,
// startMockServer, handlers).
import { afterAll, beforeAll, beforeEach, expect, inject } from "vitest";
import { API_VERSIONS, API_VERSION_NAMES } from "@resonantgenesis/schemas";
import { DEMO_API_KEY, createMockApi } from "@resonantgenesis/mock";
import { startMockServer } from "@resonantgenesis/mock/server";
import { expectSchema } from "./schema-check.js";

/** The API version this run of the contract tests checks. */
export const version = inject("apiVersion");
export type Version = typeof version;
export const VERSIONS = API_VERSION_NAMES;
/** True when the version under test is `minimum` or newer. */
export const atLeast = (minimum: Version): boolean => VERSIONS.indexOf(version) >= VERSIONS.indexOf(minimum);
/** The lifecycle row of the version under test (docs/protocol.md section 1). */
export const row = API_VERSIONS[version];
/** True when the version answers errors in the FastAPI form (1.0 and 1.1). */
export const fastapiErrors = version !== "1.2";
export { DEMO_API_KEY };

export type MockApi = ReturnType<typeof createMockApi>;
export type Json = any;

export { expectSchema } from "./schema-check.js";
export { type SseEvent, readSse, ndjson } from "./sse.js";
// ---------------------------------------------------------------- calls

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** The API key; `null` sends no Authorization header. Default: the client's key. */
  key?: string | null;
  /** Skip the automatic check that an error body has the version's form. */
  anyErrorForm?: boolean;
  signal?: AbortSignal;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
  response: Response;
}

export type FetchLike = (request: Request) => Promise<Response>;

/** A client for one base URL (`.../api`). Paths not starting with `/api` are put under `/api/v<version>`. */
export class Client {
  constructor(
    readonly fetchFn: FetchLike,
    readonly baseURL: string,
    public key: string = DEMO_API_KEY,
    readonly ver: Version = version,
  ) {}

  url(path: string): string {
    if (/^https?:/.test(path)) return path;
    const origin = new URL(this.baseURL).origin;
    if (path.startsWith("/api")) return origin + new URL(this.baseURL).pathname.replace(/\/api\/?$/, "") + path;
    return `${this.baseURL}/v${this.ver}${path}`;
  }

  request(method: string, path: string, opts: CallOptions = {}): Request {
    const headers = new Headers(opts.headers);
    const key = opts.key === undefined ? this.key : opts.key;
    if (key !== null) headers.set("Authorization", `Bearer ${key}`);
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
      if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
    }
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = body;
    if (opts.signal) init.signal = opts.signal;
    return new Request(this.url(path), init);
  }

  /** Sends without reading the body (for streams). Checks the common headers. */
  async raw(method: string, path: string, opts: CallOptions = {}): Promise<Response> {
    const response = await this.fetchFn(this.request(method, path, opts));
    checkCommonHeaders(response.headers);
    return response;
  }

  async call(method: string, path: string, opts: CallOptions = {}): Promise<Answer> {
    const response = await this.raw(method, path, opts);
    const text = await response.text();
    let json: Json;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    const answer: Answer = { status: response.status, headers: response.headers, text, json, response };
    if (response.status >= 400 && !opts.anyErrorForm) checkErrorForm(answer, this.ver);
    return answer;
  }

  get = (path: string, opts?: CallOptions) => this.call("GET", path, opts);
  post = (path: string, body?: unknown, opts: CallOptions = {}) =>
    this.call("POST", path, { ...opts, body: body ?? opts.body });
  patch = (path: string, body: unknown, opts: CallOptions = {}) => this.call("PATCH", path, { ...opts, body });
  del = (path: string, opts?: CallOptions) => this.call("DELETE", path, opts);

  /** POST that must answer 201 (or 200); returns the body. */
  async create(path: string, body: unknown, status = 201): Promise<Json> {
    const res = await this.post(path, body);
    expect(res.status, `POST ${path}: ${res.text}`).toBe(status);
    return res.json;
  }

  /** Every item of a list endpoint, walking the cursor. */
  async listAll(path: string, limit = 100): Promise<Json[]> {
    const items: Json[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const sep = path.includes("?") ? "&" : "?";
      const res = await this.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status, res.text).toBe(200);
      items.push(...res.json.data);
      cursor = res.json.next_cursor;
      if (!res.json.has_more) return items;
    }
    throw new Error("list never ended");
  }

  /** Every object of `GET /<kind>/export`, page by page. */
  async exportAll(kind: string, limit?: number): Promise<Json[]> {
    const items: Json[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const query = new URLSearchParams();
      if (limit) query.set("limit", String(limit));
      if (cursor) query.set("cursor", cursor);
      const qs = query.toString();
      const res = await this.get(`/${kind}/export${qs ? `?${qs}` : ""}`);
      expect(res.status, res.text).toBe(200);
      items.push(...res.json[kind]);
      cursor = res.json.next_cursor;
      if (cursor === null) return items;
    }
    throw new Error("export never ended");
  }

  /** A client for the same server with another key. */
  as(key: string): Client {
    return new Client(this.fetchFn, this.baseURL, key, this.ver);
  }
}

/** X-API-Version and X-Request-Id on every response (docs/protocol.md section 1). */
export function checkCommonHeaders(headers: Headers): void {
  expect(headers.get("x-api-version"), "X-API-Version").toMatch(/^1\.[012]$/);
  expect(headers.get("x-request-id"), "X-Request-Id").toMatch(/^req_[A-Za-z0-9_-]+$/);
  // from 1.1 on every response carries the rate-limit headers; 1.0 sends none (section 2)
  const served = headers.get("x-api-version");
  for (const name of ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-ratelimit-reset-after"]) {
    if (served === "1.0") expect(headers.get(name), `1.0 sends no ${name}`).toBeNull();
    else expect(headers.get(name), `${served} sends ${name}`).toMatch(/^\d+$/);
  }
}

/** An error answer has the error form of `ver`, and a 1.2 request_id equal to X-Request-Id. */
export function checkErrorForm(answer: Answer, ver: Version): void {
  expect(answer.headers.get("content-type") ?? "", `error content-type (${answer.status})`).toMatch(/json/);
  if (ver === "1.2") {
    const body = expectSchema("ErrorBody", answer.json, "1.2");
    // a replayed answer is the stored one, request_id included
    if (answer.headers.get("idempotent-replayed") !== "true")
      expect(body.error.request_id).toBe(answer.headers.get("x-request-id"));
  } else {
    expectSchema("ErrorBody", answer.json, "1.0");
  }
}

/**
 * Checks an error answer: the status, the version's form, and the code. In
 * the 1.2 form the code is `error.code`. The FastAPI form has no code field;
 * `strictCode` demands that the code still appear (detail string or
 * detail.code), for errors whose code the protocol names for every version.
 */
export function expectError(
  answer: Answer,
  status: number,
  code?: string,
  opts: { ver?: Version; strictCode?: boolean } = {},
): void {
  const ver = opts.ver ?? version;
  expect(answer.status, `status (body ${answer.text.slice(0, 300)})`).toBe(status);
  checkErrorForm(answer, ver);
  if (!code) return;
  if (ver === "1.2") expect(answer.json.error.code).toBe(code);
  else if (opts.strictCode) expect(fastapiCode(answer.json.detail)).toContain(code);
}

/** DELETE `path` answers 204 with an empty body, and a GET of it then answers 404 `code`. */
export async function expectDeleted(client: Client, path: string, code: string): Promise<void> {
  const res = await client.del(path);
  expect(res.status).toBe(204);
  expect(res.text).toBe("");
  expectError(await client.get(path), 404, code);
}

/** The code carried by a FastAPI `detail`, if any. */
export function fastapiCode(detail: unknown): string {
  if (typeof detail === "string") return detail;
  if (detail && typeof detail === "object" && !Array.isArray(detail)) {
    const d = detail as Record<string, unknown>;
    return String(d.code ?? d.error ?? d.type ?? JSON.stringify(d));
  }
  return JSON.stringify(detail);
}

/** The fields a validation error names: 1.2 `details.fields` keys, FastAPI `loc` without the leading "body". */
export function invalidFields(answer: Answer): string[] {
  if (version === "1.2") return Object.keys(answer.json.error.details?.fields ?? {});
  const detail = answer.json.detail;
  expect(Array.isArray(detail), `FastAPI validation detail is a list: ${answer.text}`).toBe(true);
  return (detail as { loc: (string | number)[] }[]).map((item) =>
    item.loc.filter((part, i) => !(i === 0 && (part === "body" || part === "query"))).join("."),
  );
}

/** Asserts a 422 naming each of `fields` (a named field matches it or starts with `<field>.`). */
export function expectInvalid(answer: Answer, fields: string[]): void {
  expectError(answer, 422, "validation_error");
  const named = invalidFields(answer);
  for (const field of fields)
    expect(
      named.some((n) => n === field || n.startsWith(`${field}.`) || n.startsWith(`${field}[`)),
      `422 names ${field}: ${answer.text}`,
    ).toBe(true);
}

// ---------------------------------------------------------------- mocks

/** Every version forced to "current": on today's date 1.0 and 1.1 are past sunset. */
export const allCurrent = { "1.0": "current", "1.1": "current", "1.2": "current" } as const;

export type MockOptions = NonNullable<Parameters<typeof createMockApi>[0]>;

export interface Harness {
  api: MockApi;
  url: string;
  baseURL: string;
  client: Client;
}

/** Puts a mock back into the state the tests start from. */
export function prepare(api: MockApi): void {
  api.reset();
  api.faults.reset();
  for (const ver of VERSIONS) api.setVersionState(ver, "current");
  api.setRateLimit(1_000_000, 60);
}

/**
 * Starts one loopback mock server for the test file (port 0), resets it
 * before each test, and closes it after the file. The returned object is
 * filled in by `beforeAll`.
 */
export function useServer(options: Partial<MockOptions> = {}): Harness {
  const harness = {} as Harness;
  let close: (() => Promise<void> | void) | undefined;
  beforeAll(async () => {
    const server = await startMockServer({
      port: 0,
      versionStates: allCurrent,
      stepDelayMs: 5,
      ...options,
    } as Parameters<typeof startMockServer>[0]);
    close = server.close;
    harness.api = server.api;
    harness.url = server.url;
    harness.baseURL = server.baseURL;
    harness.client = new Client((request) => fetch(request), server.baseURL);
  });
  beforeEach(() => prepare(harness.api));
  afterAll(async () => {
    await close?.();
  });
  return harness;
}

/** A mock called in-process through `api.fetch` (no server), as a Client. */
export function direct(options: Partial<MockOptions> = {}): { api: MockApi; client: Client } {
  const api = createMockApi({ versionStates: allCurrent, stepDelayMs: 5, ...options } as MockOptions);
  return { api, client: new Client((request) => api.fetch(request), "https://resonantgenesis.xyz/api") };
}

/** A fresh account on the mock with its own key, as a Client. */
export function newAccount(h: { api: MockApi; client: Client }, scopes?: string[]): Client {
  const { key } = h.api.createAccount(scopes ? { scopes } : {});
  return h.client.as(key);
}

/** A random UUID that names nothing. */
export const missingId = (): string => crypto.randomUUID();

/** Waits until `check` returns a value that is not undefined (polling). */
export async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Creates an agent through the API (with version-appropriate minimal body). */
export async function createAgent(client: Client, name = "agent", extra: Record<string, unknown> = {}): Promise<Json> {
  return client.create("/agents", { name, ...extra });
}

/** Polls a session until it leaves "running". */
export async function finished(client: Client, id: string): Promise<Json> {
  return until(async () => {
    const res = await client.get(`/sessions/${id}`);
    expect(res.status).toBe(200);
    return res.json.status === "running" ? undefined : res.json;
  });
}

/** A 1.2-form or FastAPI-form error code check for import failures. */
export function failureCode(error: Json): string {
  return version === "1.2" ? error.code : fastapiCode(error.detail);
}
