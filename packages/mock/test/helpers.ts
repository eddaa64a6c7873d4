// Small helpers for the mock's unit tests: call the in-process api.fetch.
import { DEMO_API_KEY, createMockApi, type MockApi, type MockApiOptions } from "../src/index.js";

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
  const url = path.startsWith("/api") ? `https://resonantgenesis.xyz${path}` : `${BASE}/v${opts.version ?? "1.2"}${path}`;
  return api.fetch(new Request(url, init));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call(api: MockApi, method: string, path: string, opts: CallOptions = {}): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await raw(api, method, path, opts);
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

export interface Sse {
  id: number;
  event: string;
  data: unknown;
}

/** Reads a whole SSE body: events and comment lines. */
export async function readSse(res: Response): Promise<{ events: Sse[]; comments: string[] }> {
  const text = await res.text();
  const events: Sse[] = [];
  const comments: string[] = [];
  for (const block of text.split("\n\n")) {
    if (!block.trim()) continue;
    const lines = block.split("\n");
    for (const l of lines) if (l.startsWith(":")) comments.push(l.slice(1).trim());
    const get = (f: string) => lines.find((l) => l.startsWith(`${f}: `))?.slice(f.length + 2);
    const data = get("data");
    if (data !== undefined) events.push({ id: Number(get("id")), event: get("event")!, data: JSON.parse(data) });
  }
  return { events, comments };
}
