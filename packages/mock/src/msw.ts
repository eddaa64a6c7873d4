/**
 * MSW request handlers that send every request under `baseURL` to a mock
 * API, for `setupServer` (Node) and `setupWorker` (browsers). The only module
 * that imports msw, exposed as `@resonantgenesis/mock/msw`.
 *
 * ```ts
 * import { setupServer } from "msw/node";
 * import { createMockApi } from "@resonantgenesis/mock";
 * import { handlers } from "@resonantgenesis/mock/msw";
 * const api = createMockApi();
 * const server = setupServer(...handlers(api));
 * ```
 * @module @resonantgenesis/mock/msw
 */
import { HttpResponse, http, type HttpHandler } from "msw";
import { API_BASE_HEADER } from "./api-base.js";
import type { MockApi } from "./app.js";

/** Options of {@link handlers}. */
export interface HandlersOptions {
  /** The API base URL the client uses (default `https://resonantgenesis.xyz/api`). */
  baseURL?: string;
}

/**
 * One catch-all handler under `baseURL`. The request is re-addressed so the
 * mock sees `/api/...` whatever the base path is, and a dropped-connection
 * fault becomes MSW's network error.
 */
export function handlers(
  api: Pick<MockApi, "fetch">,
  { baseURL = "https://resonantgenesis.xyz/api" }: HandlersOptions = {},
): HttpHandler[] {
  const base = baseURL.replace(/\/+$/, "");
  return [
    http.all(`${base}/*`, async ({ request }) => {
      const url = new URL(request.url);
      // Without its trailing slash: the base path of an origin alone is "/", which would eat the request's first slash.
      const basePath = new URL(base).pathname.replace(/\/+$/, "");
      const rest = url.pathname.slice(basePath.length);
      const target = new URL(`/api${rest}${url.search}`, url.origin);
      // The mock sees /api; the base the client used is named, so the URLs it hands out (a trigger's) lead back here.
      const headers = new Headers(request.headers);
      headers.set(API_BASE_HEADER, base);
      const init: RequestInit & { duplex?: "half" } = { method: request.method, headers, signal: request.signal };
      if (request.body !== null && request.method !== "GET" && request.method !== "HEAD") {
        init.body = await request.arrayBuffer();
      }
      try {
        return await api.fetch(new Request(target, init));
      } catch (error) {
        if (error instanceof TypeError) return HttpResponse.error();
        throw error;
      }
    }),
  ];
}
