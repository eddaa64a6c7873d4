/**
 * The import sink of the cli figure, in its own process (the bench runs its
 * children with spawnSync, which would block a server in its own loop):
 * answers every `POST .../<kind>/import` at once with all items imported,
 * counting them without parsing. Prints its URL; ends when stdin closes.
 */
import { createServer } from "node:http";
import { announceAndWait, listenOnLoopback } from "../lib.mjs";

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
announceAndWait({ url: await listenOnLoopback(server) });
