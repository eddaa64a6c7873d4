import { describe, expect, test } from "vitest";
import { signWebhook } from "../src/index.js";

// docs/protocol.md section 7, byte for byte.
const SECRET = "whsec_test_5f3c1b";
const BODY =
  '{"id":"evt_01","type":"agent.created","created_at":"2026-11-24T10:00:00Z","data":{"id":"0b7c4f6e-2a51-4d38-9c1e-7f2d8a6b5e10","object":"agent","name":"triage"}}';

describe("signWebhook reproduces the test vectors", () => {
  test.each(["1.0", "1.1"] as const)("%s: sha256 of the body alone, one header", async (version) => {
    const headers = await signWebhook({ secret: SECRET, body: BODY, version });
    expect(headers).toEqual({
      "X-Webhook-Signature": "sha256=43d9d52869f021264df3acfbd95be05ff4d1e71e30625b119d129adda7109eb7",
    });
  });

  test("1.2: timestamp.body, with X-Webhook-Timestamp and X-Webhook-Id", async () => {
    const headers = await signWebhook({ secret: SECRET, body: BODY, version: "1.2", timestamp: 1795514400 });
    expect(headers["X-Webhook-Signature"]).toBe(
      "sha256=a5e630ebd0e765e5a3aa0117dc90f5ee7e4e16cba23d5800c6accc858962ce9a",
    );
    expect(headers["X-Webhook-Timestamp"]).toBe("1795514400");
    expect(headers["X-Webhook-Id"]).toBe("evt_01");
  });

  test("1.2 with a Date timestamp equals the unix seconds", async () => {
    const headers = await signWebhook({
      secret: SECRET,
      body: BODY,
      version: "1.2",
      timestamp: new Date("2026-11-24T10:00:00Z"),
    });
    expect(headers["X-Webhook-Signature"]).toBe(
      "sha256=a5e630ebd0e765e5a3aa0117dc90f5ee7e4e16cba23d5800c6accc858962ce9a",
    );
  });

  test("1.2 with a timestamp in fractional seconds writes whole seconds, as the API does", async () => {
    // Date.now() / 1000 - 600 is a natural way to ask for a stale delivery; the header must still be unix seconds.
    const headers = await signWebhook({ secret: SECRET, body: BODY, version: "1.2", timestamp: 1795514400.75 });
    expect(headers["X-Webhook-Timestamp"]).toBe("1795514400");
    expect(headers["X-Webhook-Signature"]).toBe(
      "sha256=a5e630ebd0e765e5a3aa0117dc90f5ee7e4e16cba23d5800c6accc858962ce9a",
    );
  });

  test("any change to the body or secret changes the signature", async () => {
    const base = await signWebhook({ secret: SECRET, body: BODY, version: "1.0" });
    expect(await signWebhook({ secret: SECRET, body: `${BODY} `, version: "1.0" })).not.toEqual(base);
    expect(await signWebhook({ secret: `${SECRET}x`, body: BODY, version: "1.0" })).not.toEqual(base);
  });

  test("the default version is 1.2 and the default timestamp is now", async () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = await signWebhook({ secret: SECRET, body: "{}" });
    const ts = Number(headers["X-Webhook-Timestamp"]);
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(before + 2);
    expect(headers["X-Webhook-Id"]).toMatch(/^evt_/);
  });
});
