/**
 * The mock on a loopback HTTP server (Node only), exposed as
 * `@resonantgenesis/mock/server`. CORS is open, so browser pages on other
 * origins can call it and read the API's headers.
 * @module
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve, type HttpBindings } from "@hono/node-server";
import { createMockApi, type MockApi, type MockApiOptions } from "./app.js";

/** Options of {@link startMockServer}: where to listen, and the mock (given, or made from the other options). */
export interface MockServerOptions extends MockApiOptions {
  /** The port (default 0: any free port). */
  port?: number;
  /** The host (default 127.0.0.1). */
  host?: string;
  /** An existing mock to serve; default: `createMockApi(options)`. */
  api?: MockApi;
}

/** A running mock server. */
export interface MockServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** `url + "/api"`, the base URL a client uses. */
  baseURL: string;
  /** The mock it serves. */
  api: MockApi;
  /** Stops listening, closes open connections (streams too) and stops the mock's timers. */
  close(): Promise<void>;
}

/** The headers a browser page may read from answers. */
export const EXPOSED_HEADERS = [
  "X-Request-Id",
  "X-API-Version",
  "X-API-Deprecation-Date",
  "X-API-Sunset-Date",
  "X-API-Upgrade-To",
  "X-RateLimit-Limit",
  "X-RateLimit-Remaining",
  "X-RateLimit-Reset",
  "X-RateLimit-Reset-After",
  "Retry-After",
  "Deprecation",
  "Sunset",
  "Idempotent-Replayed",
];

function corsHeaders(request: Request): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": request.headers.get("origin") ?? "*",
    "Access-Control-Expose-Headers": EXPOSED_HEADERS.join(", "),
    Vary: "Origin",
  };
}

/** Answers a CORS preflight: any method the API has, the headers asked for. */
function preflight(request: Request): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(request),
      "Access-Control-Allow-Methods": "GET, POST, PATCH, DELETE, OPTIONS",
      "Access-Control-Allow-Headers":
        request.headers.get("access-control-request-headers") ?? "Authorization, Content-Type, Idempotency-Key, X-API-Version, Last-Event-ID, Accept",
      "Access-Control-Max-Age": "600",
    },
  });
}

/** Starts the mock on a loopback port and resolves once it listens. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { port = 0, host = "127.0.0.1", api: given, ...apiOptions } = options;
  const api = given ?? createMockApi(apiOptions);
  const fetch = async (request: Request, env: HttpBindings): Promise<Response> => {
    if (request.method === "OPTIONS" && request.headers.has("access-control-request-method")) return preflight(request);
    try {
      const response = await api.fetch(request);
      const headers = new Headers(response.headers);
      for (const [name, value] of Object.entries(corsHeaders(request))) headers.set(name, value);
      return new Response(response.body, { status: response.status, headers });
    } catch (error) {
      // A dropped-connection fault: the client sees the socket close with no answer.
      env.incoming.socket.destroy();
      return new Response(null, { status: 500, statusText: String(error) });
    }
  };
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: fetch as never, port, hostname: host, overrideGlobalObjects: false }, () => resolve(s as Server));
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${hostForUrl}:${address.port}`;
  return {
    url,
    baseURL: `${url}/api`,
    api,
    close: () =>
      new Promise<void>((resolve, reject) => {
        api.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
