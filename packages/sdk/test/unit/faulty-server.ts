/**
 * A real node:http server on 127.0.0.1 whose answers misbehave the way
 * networks do: a body dripped one byte at a time, a body cut after the status
 * line, a stream that stalls. Each test registers the handler of its route;
 * every request is recorded (method, path, headers) so a test can prove what
 * the server saw.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the server received. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A route's handler: `n` counts the requests of this route so far (from 0). */
export type Handler = (req: IncomingMessage & { body: string }, res: ServerResponse, n: number) => void;

/** The server, its base URL (without `/v1.2`), what it received, and its routes to fill. */
export interface FaultyServer {
  baseURL: string;
  received: Received[];
  /** Handlers by `METHOD /path` (the path below `/v1.2`, without the query); setting one restarts its count. */
  routes: Map<string, Handler>;
  close(): Promise<void>;
}

/** Starts the server; unknown routes answer 404. */
export async function startFaultyServer(): Promise<FaultyServer> {
  const received: Received[] = [];
  const counts = new Map<string, number>();
  // Setting a route starts its count afresh, so each test's handler sees its own first request as 0.
  const routes = new (class extends Map<string, Handler> {
    override set(key: string, handler: Handler): this {
      counts.delete(key);
      return super.set(key, handler);
    }
  })();
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname.replace(/^\/v1\.2/, "");
      received.push({ method: req.method ?? "", path, headers: req.headers, body });
      const key = `${req.method} ${path}`;
      const handler = routes.get(key);
      if (!handler)
        return void res
          .writeHead(404, { "content-type": "application/json" })
          .end('{"error":{"code":"not_found","message":"no route"}}');
      const n = counts.get(key) ?? 0;
      counts.set(key, n + 1);
      handler(Object.assign(req, { body }), res, n);
    });
  });
  // Stalled answers hold their sockets open; closing must not wait for them.
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    received,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers `text` (JSON) with its length announced, one byte every `everyMs`, until done or the client leaves. */
export function drip(res: ServerResponse, text: string, everyMs: number): void {
  const bytes = Buffer.from(text);
  res.writeHead(200, { "content-type": "application/json", "content-length": String(bytes.length) });
  let at = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write(bytes.subarray(at, at + 1));
    at += 1;
    if (at === bytes.length) {
      clearInterval(timer);
      res.end();
    }
  }, everyMs);
  res.on("close", () => clearInterval(timer));
}

/**
 * Answers the head and the first half of `text` (JSON), then destroys the
 * socket: a body cut after the status line. Its length is announced, or
 * (`chunked`) not, as a proxy or a large answer would send it.
 */
export function cutMidBody(res: ServerResponse, text: string, framing: "length" | "chunked" = "length"): void {
  const bytes = Buffer.from(text);
  res.writeHead(200, {
    "content-type": "application/json",
    ...(framing === "length" ? { "content-length": String(bytes.length) } : {}),
  });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => setTimeout(() => res.socket?.destroy(), 20));
}
