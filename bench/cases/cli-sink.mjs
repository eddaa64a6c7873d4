/**
 * The import sink of the cli figure, in its own process (the bench runs its
 * children with spawnSync, which would block a server in its own loop):
 * answers every `POST .../<kind>/import` at once with all items imported,
 * counting them without parsing. Prints its URL; ends when stdin closes.
 */
import { createServer } from "node:http";
import { once } from "node:events";

const server = createServer((req, res) => {
  let items = 0;
  let tail = "";
  // Each object of a batch carries one "object" field.
  req.on("data", (chunk) => {
    const text = tail + chunk.toString("latin1");
    items += text.split('"object":').length - 1;
    tail = text.slice(-9);
  });
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "x-request-id": "req_sink", "x-api-version": "1.2" });
    res.end(JSON.stringify({ imported: items, skipped: 0, failed: [] }));
  });
});
server.keepAliveTimeout = 600_000;
server.listen(0, "127.0.0.1");
await once(server, "listening");
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
