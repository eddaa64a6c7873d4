import { readFileSync } from "node:fs";
import type { Fetch } from "@resonantgenesis/sdk";
import { answerText } from "./fixtures.js";

// The server's stand-in: answers each request from a fixture, by method, path, query and Accept.
// It knows nothing of the SDK or the mock; headers are those of docs/protocol.md section 1.

/** One answer: the request it matches and the fixture it sends. */
export interface Route {
  method: string;
  /** The full path, with the version: `/api/v1.2/agents`. */
  path: string;
  /** Query values the request must carry (`null`: must not carry). */
  query?: Record<string, string | null>;
  /** A media type the request's Accept must name. */
  accept?: string;
  status?: number;
  /** A file of answers/, or (`broken: true`) of broken/. */
  file: string;
  broken?: boolean;
}

function contentType(file: string): string {
  if (file.endsWith(".sse.txt")) return "text/event-stream";
  if (file.endsWith(".ndjson.txt")) return "application/x-ndjson";
  return "application/json";
}

function matches(route: Route, request: Request, url: URL): boolean {
  if (route.method !== request.method || route.path !== url.pathname) return false;
  if (route.accept !== undefined && !(request.headers.get("accept") ?? "").includes(route.accept)) return false;
  return Object.entries(route.query ?? {}).every(([name, value]) => url.searchParams.get(name) === value);
}

/** A fake server over `routes` (first match wins); `requests` records what it was sent. */
export function fakeServer(routes: readonly Route[]): { fetch: Fetch; requests: Request[] } {
  const requests: Request[] = [];
  let counter = 0;
  const fetch: Fetch = async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    requests.push(request.clone());
    const url = new URL(request.url);
    const version = /^\/api\/v(1\.[0-2])\//.exec(url.pathname)?.[1] ?? "1.2";
    const headers = { "x-api-version": version, "x-request-id": `req_golden_${++counter}` };
    const route = routes.find((r) => matches(r, request, url));
    if (route === undefined) {
      // 501 is not retried: an unrouted call fails its test at once, and names itself.
      return new Response(`no golden answer for ${request.method} ${url.pathname}${url.search}`, {
        status: 501,
        headers,
      });
    }
    const body = route.broken
      ? readFileSync(new URL(`./broken/${route.file}`, import.meta.url), "utf8")
      : answerText(route.file);
    return new Response(body, {
      status: route.status ?? 200,
      headers: { ...headers, "content-type": contentType(route.file) },
    });
  };
  return { fetch, requests };
}
