import { beforeEach, describe, expect, test } from "vitest";
import { RequestValidationError } from "@resonantgenesis/sdk";
import { clientOf, useFaultyServer } from "../unit/use-faulty-server.js";
import { answer } from "./fixtures.js";

// docs/protocol.md section 2: "`POST` requests may carry `Idempotency-Key: <up to 255 chars>`", and a
// key is a header value. A key the server cannot take is the caller's mistake: refused before anything
// is sent, not sent for a 400 (or, with a control character, retried as a "connection error").
const server = await useFaultyServer();
const created = JSON.stringify({ ...answer("agent-1.2.json") });
const imported = JSON.stringify({ imported: 1, skipped: 0, failed: [] });
const posts = () => server.received.filter((r) => r.method === "POST");

beforeEach(() => {
  server.received.length = 0;
  server.routes.set("POST /agents", (_req, res) =>
    res.writeHead(201, { "content-type": "application/json" }).end(created),
  );
  for (const kind of ["agents", "memories"])
    server.routes.set(`POST /${kind}/import`, (_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(imported),
    );
});

const create = (idempotencyKey?: string) =>
  clientOf(server, { maxRetries: 2 }).agents.create({ name: "triage", model: "gpt-4-turbo" }, { idempotencyKey });

describe("Idempotency-Key: up to 255 characters", () => {
  test("the SDK's own key fits, and a caller's key of 255 characters goes as it is", async () => {
    await create();
    await create("k".repeat(255));
    const keys = posts().map((r) => r.headers["idempotency-key"] as string);
    expect(keys[0]!.length).toBeGreaterThan(0);
    expect(keys[0]!.length).toBeLessThanOrEqual(255);
    expect(keys[1]).toBe("k".repeat(255));
  });

  test.each([
    ["256 characters", "k".repeat(256)],
    ["empty", ""],
    ["a line break", "key\nInjected: 1"],
    ["a character beyond Latin-1", "key-✓"],
  ])("a key of %s is refused before anything is sent, at once", async (_what, key) => {
    const started = Date.now();
    const error = await create(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues.map((i) => i.path)).toEqual(["options.idempotencyKey"]);
    expect(posts()).toHaveLength(0);
    // No retry waits (0.5 s, then 1 s): the key was never a connection error.
    expect(Date.now() - started).toBeLessThan(400);
  });
});

describe("importAll derives each batch's key as <key>:<kind>:<batch>", () => {
  const archive = {
    ...answer("archive-1.2.json"),
    agents: [answer("agent-1.2.json")],
    memories: [answer("memory.json")],
  };

  test("every derived key is sent when each fits in 255 characters", async () => {
    const key = "k".repeat(244); // + ":memories:0" = 255
    await clientOf(server).data.importAll(archive, { idempotencyKey: key });
    expect(posts().map((r) => [r.path, r.headers["idempotency-key"]])).toEqual([
      ["/agents/import", `${key}:agents:0`],
      ["/memories/import", `${key}:memories:0`],
    ]);
  });

  test("an Idempotency-Key header, in any case, is read as the option: each batch gets its own key from it", async () => {
    await clientOf(server).data.importAll(archive, { headers: { "IDEMPOTENCY-KEY": "job-7", "x-trace": "t1" } });
    expect(posts().map((r) => [r.path, r.headers["idempotency-key"], r.headers["x-trace"]])).toEqual([
      ["/agents/import", "job-7:agents:0", "t1"],
      ["/memories/import", "job-7:memories:0", "t1"],
    ]);
  });

  test("a key that would make any batch's key too long is refused before the first batch is sent", async () => {
    const key = "k".repeat(245); // ":agents:0" fits (254), ":memories:0" (256) does not
    const error = await clientOf(server)
      .data.importAll(archive, { idempotencyKey: key })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    // The caller's key is within 255: the message says which derived key is not, and by how much.
    expect((error as RequestValidationError).issues).toEqual([
      {
        path: "options.idempotencyKey",
        message:
          'is 245 characters, and the key of the last memories batch made from it ("<key>:memories:0") would be 256, past the 255 an Idempotency-Key may have: shorten it by 1',
      },
    ]);
    expect(posts()).toHaveLength(0);
  });

  test("a key that would make a batch's key unsendable is refused as not header-safe, before anything is sent", async () => {
    const error = await clientOf(server)
      .data.importAll(archive, { idempotencyKey: " job-42" })
      .catch((e: unknown) => e);
    expect((error as RequestValidationError).issues).toEqual([
      {
        path: "options.idempotencyKey",
        message:
          "must be header-safe characters (no control character, none beyond Latin-1, no whitespace at either end)",
      },
    ]);
    expect(posts()).toHaveLength(0);
  });
});
