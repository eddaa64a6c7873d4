import { inspect } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { WebhookSignatureError } from "../../src/core/errors.js";
import { timingSafeEqual, verifyWebhookSignature } from "../../src/webhooks.js";

// docs/protocol.md section 7, exactly.
const SECRET = "whsec_test_5f3c1b";
const BODY =
  '{"id":"evt_01","type":"agent.created","created_at":"2026-11-24T10:00:00Z","data":{"id":"0b7c4f6e-2a51-4d38-9c1e-7f2d8a6b5e10","object":"agent","name":"triage"}}';
const SIG_V10 = "sha256=43d9d52869f021264df3acfbd95be05ff4d1e71e30625b119d129adda7109eb7";
const SIG_V12 = "sha256=a5e630ebd0e765e5a3aa0117dc90f5ee7e4e16cba23d5800c6accc858962ce9a";
const TS = "1795514400";
const NOW = 1795514400;

const EVENT = {
  id: "evt_01",
  type: "agent.created",
  created_at: "2026-11-24T10:00:00Z",
  data: { id: "0b7c4f6e-2a51-4d38-9c1e-7f2d8a6b5e10", object: "agent", name: "triage" },
};

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookSignatureError);
    return (err as WebhookSignatureError).reason;
  }
  throw new Error("expected a WebhookSignatureError");
}

describe("verifyWebhookSignature: the test vectors of docs/protocol.md section 7", () => {
  it("verifies the 1.0/1.1 vector", async () => {
    await expect(
      verifyWebhookSignature({ payload: BODY, headers: { "X-Webhook-Signature": SIG_V10 }, secret: SECRET }),
    ).resolves.toEqual(EVENT);
  });

  it("verifies the 1.2 vector", async () => {
    const headers = new Headers({
      "X-Webhook-Signature": SIG_V12,
      "X-Webhook-Timestamp": TS,
      "X-Webhook-Id": "evt_01",
    });
    await expect(verifyWebhookSignature({ payload: BODY, headers, secret: SECRET, now: NOW })).resolves.toEqual(EVENT);
  });

  it("accepts bytes and ArrayBuffers as payload", async () => {
    const bytes = new TextEncoder().encode(BODY);
    const headers = { "x-webhook-signature": SIG_V12, "x-webhook-timestamp": TS };
    await expect(verifyWebhookSignature({ payload: bytes, headers, secret: SECRET, now: NOW })).resolves.toEqual(EVENT);
    await expect(verifyWebhookSignature({ payload: bytes.buffer, headers, secret: SECRET, now: NOW })).resolves.toEqual(
      EVENT,
    );
  });

  it("looks headers up case-insensitively in plain objects, including arrays", async () => {
    await expect(
      verifyWebhookSignature({ payload: BODY, headers: { "x-WEBHOOK-signature": [SIG_V10] }, secret: SECRET }),
    ).resolves.toEqual(EVENT);
  });

  it("reads every line of a header given as an array, as Headers joins them (two signatures during a rotation)", async () => {
    // Node's req.headersDistinct, and frameworks built on it, give each header line its own element.
    const payload = { payload: BODY, secret: SECRET, now: NOW };
    for (const signatures of [
      ["sha256=00", SIG_V12],
      [SIG_V12, "sha256=00"],
    ]) {
      const headers = { "x-webhook-signature": signatures, "x-webhook-timestamp": [TS] };
      await expect(verifyWebhookSignature({ ...payload, headers })).resolves.toEqual(EVENT);
    }
    // Two different timestamps are two claims, not one to pick from.
    const twoTimestamps = { "x-webhook-signature": [SIG_V12], "x-webhook-timestamp": [TS, String(NOW + 1)] };
    expect(await reason(verifyWebhookSignature({ ...payload, headers: twoTimestamps }))).toBe("malformed_timestamp");
  });

  it("joins one header under two spellings of its name, as Headers would, and skips a value that is no string", async () => {
    const payload = { payload: BODY, secret: SECRET, now: NOW };
    const twoSpellings = {
      "x-webhook-signature": "sha256=00",
      "X-Webhook-Signature": SIG_V12,
      "x-webhook-timestamp": TS,
    };
    await expect(verifyWebhookSignature({ ...payload, headers: twoSpellings })).resolves.toEqual(EVENT);
    for (const odd of [null, 42, { sig: SIG_V12 }]) {
      const headers = { "x-webhook-signature": odd, "x-webhook-timestamp": TS } as never;
      expect(await reason(verifyWebhookSignature({ ...payload, headers }))).toBe("missing_signature");
    }
  });

  it("reads a Headers of another fetch implementation, which is no instance of the global Headers", async () => {
    // As the undici package's or node-fetch's Headers: the same methods, another class, nothing in own properties.
    class OtherHeaders {
      readonly #map = new Map<string, string>();
      constructor(init: Record<string, string>) {
        for (const [name, value] of Object.entries(init)) this.#map.set(name.toLowerCase(), value);
      }
      get(name: string): string | null {
        return this.#map.get(name.toLowerCase()) ?? null;
      }
    }
    const headers = new OtherHeaders({ "X-Webhook-Signature": SIG_V12, "X-Webhook-Timestamp": TS });
    expect(headers instanceof Headers).toBe(false);
    await expect(
      verifyWebhookSignature({ payload: BODY, headers: headers as unknown as Headers, secret: SECRET, now: NOW }),
    ).resolves.toEqual(EVENT);
  });

  it("accepts the tolerance edges", async () => {
    const headers = { "X-Webhook-Signature": SIG_V12, "X-Webhook-Timestamp": TS };
    await expect(verifyWebhookSignature({ payload: BODY, headers, secret: SECRET, now: NOW + 300 })).resolves.toEqual(
      EVENT,
    );
    await expect(verifyWebhookSignature({ payload: BODY, headers, secret: SECRET, now: NOW - 300 })).resolves.toEqual(
      EVENT,
    );
  });
});

describe("verifyWebhookSignature: rejections", () => {
  it("rejects a tampered body", async () => {
    const payload = BODY.replace("triage", "triagE");
    expect(
      await reason(verifyWebhookSignature({ payload, headers: { "X-Webhook-Signature": SIG_V10 }, secret: SECRET })),
    ).toBe("signature_mismatch");
    const headers = { "X-Webhook-Signature": SIG_V12, "X-Webhook-Timestamp": TS };
    expect(await reason(verifyWebhookSignature({ payload, headers, secret: SECRET, now: NOW }))).toBe(
      "signature_mismatch",
    );
  });

  it("rejects a wrong secret", async () => {
    expect(
      await reason(
        verifyWebhookSignature({ payload: BODY, headers: { "X-Webhook-Signature": SIG_V10 }, secret: "whsec_other" }),
      ),
    ).toBe("signature_mismatch");
  });

  it("rejects a changed timestamp and the 1.0 signature on a 1.2 delivery", async () => {
    const changed = { "X-Webhook-Signature": SIG_V12, "X-Webhook-Timestamp": String(NOW + 1) };
    expect(await reason(verifyWebhookSignature({ payload: BODY, headers: changed, secret: SECRET, now: NOW }))).toBe(
      "signature_mismatch",
    );
    const mixed = { "X-Webhook-Signature": SIG_V10, "X-Webhook-Timestamp": TS };
    expect(await reason(verifyWebhookSignature({ payload: BODY, headers: mixed, secret: SECRET, now: NOW }))).toBe(
      "signature_mismatch",
    );
  });

  it("rejects an old (or future) timestamp", async () => {
    const headers = { "X-Webhook-Signature": SIG_V12, "X-Webhook-Timestamp": TS };
    expect(await reason(verifyWebhookSignature({ payload: BODY, headers, secret: SECRET, now: NOW + 301 }))).toBe(
      "timestamp_out_of_tolerance",
    );
    expect(await reason(verifyWebhookSignature({ payload: BODY, headers, secret: SECRET, now: NOW - 301 }))).toBe(
      "timestamp_out_of_tolerance",
    );
    expect(
      await reason(
        verifyWebhookSignature({ payload: BODY, headers, secret: SECRET, now: NOW + 100, toleranceSeconds: 60 }),
      ),
    ).toBe("timestamp_out_of_tolerance");
  });

  it("refuses a tolerance that is no number of seconds (Infinity would turn replay protection off)", async () => {
    const headers = { "X-Webhook-Signature": SIG_V12, "X-Webhook-Timestamp": TS };
    for (const toleranceSeconds of [Number.POSITIVE_INFINITY, -1, Number.NaN]) {
      await expect(
        verifyWebhookSignature({ payload: BODY, headers, secret: SECRET, now: NOW + 10_000, toleranceSeconds }),
      ).rejects.toThrow(
        new TypeError(
          `verifyWebhookSignature: \`toleranceSeconds\` must be a finite number of seconds, 0 or more; got ${toleranceSeconds}.`,
        ),
      );
    }
    await expect(
      verifyWebhookSignature({ payload: BODY, headers, secret: SECRET, now: NOW, toleranceSeconds: 0 }),
    ).resolves.toEqual(EVENT);
  });

  it("uses the real clock when now is not given", async () => {
    const headers = { "X-Webhook-Signature": SIG_V12, "X-Webhook-Timestamp": TS };
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(NOW * 1000 + 299_000);
      await expect(verifyWebhookSignature({ payload: BODY, headers, secret: SECRET })).resolves.toEqual(EVENT);
      vi.setSystemTime(NOW * 1000 + 302_000);
      expect(await reason(verifyWebhookSignature({ payload: BODY, headers, secret: SECRET }))).toBe(
        "timestamp_out_of_tolerance",
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects a missing or malformed header", async () => {
    expect(await reason(verifyWebhookSignature({ payload: BODY, headers: {}, secret: SECRET }))).toBe(
      "missing_signature",
    );
    expect(await reason(verifyWebhookSignature({ payload: BODY, headers: new Headers(), secret: SECRET }))).toBe(
      "missing_signature",
    );
    for (const bad of ["43d9d5", "sha1=43d9", "sha256=xyz", "sha256=", "sha256=abc"]) {
      expect(
        await reason(
          verifyWebhookSignature({ payload: BODY, headers: { "X-Webhook-Signature": bad }, secret: SECRET }),
        ),
      ).toBe("malformed_signature");
    }
    const headers = { "X-Webhook-Signature": SIG_V12, "X-Webhook-Timestamp": "yesterday" };
    expect(await reason(verifyWebhookSignature({ payload: BODY, headers, secret: SECRET, now: NOW }))).toBe(
      "malformed_timestamp",
    );
  });

  it("fails a well-formed signature of the wrong length", async () => {
    expect(
      await reason(
        verifyWebhookSignature({ payload: BODY, headers: { "X-Webhook-Signature": `${SIG_V10}00` }, secret: SECRET }),
      ),
    ).toBe("signature_mismatch");
    expect(
      await reason(
        verifyWebhookSignature({
          payload: BODY,
          headers: { "X-Webhook-Signature": SIG_V10.slice(0, -2) },
          secret: SECRET,
        }),
      ),
    ).toBe("signature_mismatch");
  });

  it("accepts any matching signature in a list (secret rotation)", async () => {
    const headers = { "X-Webhook-Signature": `sha256=${"00".repeat(32)}, ${SIG_V10}` };
    await expect(verifyWebhookSignature({ payload: BODY, headers, secret: SECRET })).resolves.toEqual(EVENT);
  });

  it("rejects a signed body that is not an event", async () => {
    // Sign with node:crypto only in the test, to produce valid signatures for other bodies.
    const { createHmac } = await import("node:crypto");
    const sign = (body: string) => `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    for (const body of ["not json", '{"id":"evt"}', "[1]", '{"id":"e","type":"t","created_at":"c","data":[]}']) {
      expect(
        await reason(
          verifyWebhookSignature({ payload: body, headers: { "X-Webhook-Signature": sign(body) }, secret: SECRET }),
        ),
      ).toBe("invalid_payload");
    }
  });

  it("never shows the secret", async () => {
    const failures: unknown[] = [];
    const cases = [
      { payload: BODY, headers: { "X-Webhook-Signature": SIG_V10 }, secret: "whsec_wrong_secret_1" },
      { payload: BODY, headers: {}, secret: SECRET },
      { payload: BODY, headers: { "X-Webhook-Signature": "nope" }, secret: SECRET },
      { payload: BODY, headers: { "X-Webhook-Signature": SIG_V12, "X-Webhook-Timestamp": TS }, secret: SECRET, now: 0 },
    ];
    for (const c of cases) await verifyWebhookSignature(c).catch((e: unknown) => failures.push(e));
    expect(failures).toHaveLength(cases.length);
    for (const err of failures as WebhookSignatureError[]) {
      const views = [
        err.message,
        err.stack ?? "",
        String(err),
        JSON.stringify(err),
        inspect(err, { showHidden: true, depth: 10 }),
      ];
      for (const view of views) {
        expect(view).not.toContain(SECRET);
        expect(view).not.toContain("whsec_wrong_secret_1");
        expect(view).not.toContain("5f3c1b");
      }
    }
  });
});

describe("timingSafeEqual", () => {
  it("compares full arrays", () => {
    expect(timingSafeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(timingSafeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    expect(timingSafeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBe(false);
    expect(timingSafeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
    expect(timingSafeEqual(new Uint8Array(0), Uint8Array.of(0))).toBe(false);
  });
});

describe("requireTimestamp", () => {
  it("a delivery without X-Webhook-Timestamp is refused when the receiver requires the 1.2 scheme", async () => {
    const body =
      '{"id":"evt_01","type":"agent.created","created_at":"2026-11-24T10:00:00Z","data":{"id":"0b7c4f6e-2a51-4d38-9c1e-7f2d8a6b5e10","object":"agent","name":"triage"}}';
    const headers = {
      "x-webhook-signature": "sha256=43d9d52869f021264df3acfbd95be05ff4d1e71e30625b119d129adda7109eb7",
    };
    await expect(
      verifyWebhookSignature({ payload: body, headers, secret: "whsec_test_5f3c1b" }),
    ).resolves.toMatchObject({ id: "evt_01" });
    const refused = verifyWebhookSignature({
      payload: body,
      headers,
      secret: "whsec_test_5f3c1b",
      requireTimestamp: true,
    });
    await expect(refused).rejects.toMatchObject({ name: "WebhookSignatureError", reason: "malformed_timestamp" });
  });
});
