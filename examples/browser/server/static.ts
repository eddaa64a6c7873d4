// A tiny static file server for the page: index.html and the built bundle,
// nothing else (a whitelist, so the page's server cannot hand out the repo).
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
  "/dist/main.js": { file: "dist/main.js", type: "text/javascript; charset=utf-8" },
  "/dist/main.js.map": { file: "dist/main.js.map", type: "application/json" },
};

/** Serves the page on 127.0.0.1 (`port` 0: any free port). */
export async function startStaticServer(port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (request, response) => {
    const entry = FILES[new URL(request.url ?? "/", "http://localhost").pathname];
    if (!entry || (request.method !== "GET" && request.method !== "HEAD")) {
      response.writeHead(404).end("not found");
      return;
    }
    try {
      const body = await readFile(join(root, entry.file));
      // no-store: a rebuilt bundle is always the one loaded.
      response.writeHead(200, { "content-type": entry.type, "cache-control": "no-store" }).end(body);
    } catch {
      response.writeHead(404).end(`${entry.file} is missing: run the build first`);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
