import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  Agents,
  RequestValidationError,
  ResonantCore,
  Teams,
  Tools,
  UnsupportedFeatureError,
} from "@resonantgenesis/sdk";

// ResonantCore, the client without its resources: the same options, key handling and calls as ResonantClient.
let server: Server;
let baseURL = "";
const seen: { url: string; authorization: string | undefined }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", authorization: req.headers.authorization });
    const agent = { id: "a1", object: "agent", name: "n", model: "m" };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(agent));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("ResonantCore", () => {
  test("a resource is made once per class and calls through the core's version and key", async () => {
    const core = new ResonantCore({ apiKey: "rg_test_sk_core", baseURL, apiVersion: "1.0", validateResponses: false });
    const agents = core.use(Agents);
    expect(core.use(Agents)).toBe(agents);
    await expect(agents.get("a1")).resolves.toMatchObject({ id: "a1" });
    expect(seen.at(-1)).toEqual({ url: "/v1.0/agents/a1", authorization: "Bearer rg_test_sk_core" });
  });

  test("its options are checked as ResonantClient's, and its key never shows", () => {
    expect(() => new ResonantCore({ apiKey: "k", timeout: -1 })).toThrow(RequestValidationError);
    const core = new ResonantCore({ apiKey: "rg_live_sk_secret", baseURL });
    expect(JSON.stringify(core)).toBe(JSON.stringify({ apiVersion: "1.2", baseURL }));
    expect(JSON.stringify(core)).not.toContain("secret");
  });

  test("a later version's resource on an older pin is refused, and does not compile", () => {
    const core = new ResonantCore({ apiKey: "k", baseURL, apiVersion: "1.0" });
    // @ts-expect-error Teams is a 1.2 resource; a 1.0 core's caller does not fit it.
    expect(() => core.use(Teams)).toThrow(UnsupportedFeatureError);
    // @ts-expect-error Tools came in 1.1.
    expect(() => core.use(Tools)).toThrow(UnsupportedFeatureError);
    expect(new ResonantCore({ apiKey: "k", baseURL, apiVersion: "1.1" }).use(Tools)).toBeInstanceOf(Tools);
  });
});
