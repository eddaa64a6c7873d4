// Small helpers for the mock's unit tests: call the in-process api.fetch.
import { DEMO_API_KEY, createMockApi, type MockApi, type MockApiOptions } from "../src/index.js";
import { readSse as readEvents } from "./contract/sse.js";

export const BASE = "https://resonantgenesis.xyz/api";
export const ALL_CURRENT = { "1.0": "current", "1.1": "current", "1.2": "current" } as const;

export function mock(options: MockApiOptions = {}): MockApi {
  return createMockApi({ versionStates: ALL_CURRENT, stepDelayMs: 2, ...options });
}

export interface CallOptions {
  body?: unknown;
  key?: string | null;
  headers?: Record<string, string>;
  version?: "1.0" | "1.1" | "1.2";
}

export async function raw(api: MockApi, method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers = new Headers(opts.headers);
  const key = opts.key === undefined ? DEMO_API_KEY : opts.key;
  if (key !== null) headers.set("Authorization", `Bearer ${key}`);
  const init: RequestInit = { method, headers };
  if (opts.body !== undefined) {
    init.body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    headers.set("Content-Type", "application/json");
  }
  const url = path.startsWith("/api")
    ? `https://resonantgenesis.xyz${path}`
    : `${BASE}/v${opts.version ?? "1.2"}${path}`;
  return api.fetch(new Request(url, init));
}

export async function call(
  api: MockApi,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await raw(api, method, path, opts);
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

/** One server-sent event, with its id as a number. */
export interface Sse {
  id: number;
  event: string;
  data: unknown;
}

/**
 * Reads a whole SSE body, events and comment lines, with the one reader the
 * contract tests use (test/contract/sse.ts); ids come back as numbers.
 */
export async function readSse(res: Response): Promise<{ events: Sse[]; comments: string[] }> {
  const { events, comments } = await readEvents(res);
  return { events: events.map((e) => ({ id: Number(e.id), event: e.event, data: e.data })), comments };
}
