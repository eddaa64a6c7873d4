/**
 * The mock on a loopback HTTP server (Node only), exposed as
 * `@resonantgenesis/mock/server`. CORS is open, so browser pages on other
 * origins can call it and read the API's headers.
 * @module @resonantgenesis/mock/server
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve, type HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { CURRENT_API_VERSION } from "@resonantgenesis/schemas/meta";
import { createMockApi, type MockApi, type MockApiOptions } from "./app.js";
import { randomToken } from "./auth.js";
import { chooseVersion } from "./versioning.js";

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
  /** Stops listening, closes open connections (streams too) and stops the mock's timers. A second call resolves with the first. */
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

/** The request headers a preflight that names none is allowed: what the SDK sends. */
const ALLOWED_HEADERS = [
  "Authorization",
  "Content-Type",
  "Idempotency-Key",
  "X-API-Version",
  "Last-Event-ID",
  "Accept",
];

/** Open CORS: any origin (named back), the API's methods, its headers readable by the page. */
const CORS_OPTIONS = {
  origin: (origin: string) => origin || "*",
  allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
  exposeHeaders: EXPOSED_HEADERS,
  maxAge: 600,
};

/**
 * Hono's cors middleware. A preflight is allowed the headers it asks for,
 * written as it asked (Hono alone would re-join them without spaces), or
 * {@link ALLOWED_HEADERS} when it asks for none.
 */
function openCors(): MiddlewareHandler {
  const answers = cors(CORS_OPTIONS);
  return (c, next) => {
    if (c.req.method !== "OPTIONS") return answers(c, next);
    // The preflight never reaches the mock, whose gateway gives every other answer its id and version
    // (docs/protocol.md section 1); set before cors, which builds the preflight's answer from the headers so far.
    c.header("X-Request-Id", randomToken("req_", 20));
    c.header("X-API-Version", chooseVersion(new URL(c.req.url).pathname, null)?.version ?? CURRENT_API_VERSION);
    const asked = c.req.header("access-control-request-headers") ?? ALLOWED_HEADERS.join(", ");
    return cors({ ...CORS_OPTIONS, allowHeaders: [asked] })(c, next);
  };
}

/** Fetch's null body statuses that an HTTP server sends. */
const NO_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * Writes the head of an answer that has no body (a DELETE's or a preflight's
 * 204) itself: @hono/node-server gives every head without a Content-Type
 * `text/plain`, and an answer with no body has no content type.
 */
const noBodyHeads: MiddlewareHandler<{ Bindings: HttpBindings }> = async (c, next) => {
  await next();
  if (!NO_BODY_STATUSES.has(c.res.status)) return;
  const { outgoing } = c.env;
  outgoing.writeHead(c.res.status, Object.fromEntries(c.res.headers));
  outgoing.end();
  c.res = RESPONSE_ALREADY_SENT;
};

/**
 * The server's app: CORS around the mock, which `mockOf` answers once the server listens. A dropped-connection
 * fault destroys the socket, so the client sees no answer.
 */
function serverApp(mockOf: () => MockApi): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.use(noBodyHeads);
  app.use(openCors());
  app.all("*", async (c) => {
    try {
      return await mockOf().fetch(c.req.raw);
    } catch (error) {
      c.env.incoming.socket.destroy();
      return new Response(null, { status: 500, statusText: String(error) });
    }
  });
  return app;
}

/** Starts the mock on a loopback port and resolves once it listens. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { port = 0, host = "127.0.0.1", api: given, ...apiOptions } = options;
  // Made once the port is known, so that the triggers it seeds point their webhook_url at this server.
  let api: MockApi | undefined = given;
  const app = serverApp(() => api as MockApi);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host, overrideGlobalObjects: false }, () => {
      s.off("error", reject);
      resolve(s as Server);
    });
    // A port in use (EADDRINUSE) or a host that cannot be bound: the caller's to catch, not an uncaught exception.
    s.once("error", reject);
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${hostForUrl}:${address.port}`;
  let mockApi: MockApi;
  try {
    mockApi = given ?? createMockApi({ origin: url, ...apiOptions });
  } catch (error) {
    // Bad options (a rate limit below 0...): no server left listening behind the error.
    server.close();
    throw error;
  }
  api = mockApi;
  // One closing for every call: a second close() (an afterAll after a test's own) resolves with the first, as
  // test helpers' closes do, where node's server.close() would fail it with "Server is not running".
  let closing: Promise<void> | undefined;
  return {
    url,
    baseURL: `${url}/api`,
    api: mockApi,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        mockApi.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  };
}
