import { describe, expect, it } from "vitest";
import { APIConnectionError } from "../../src/core/errors.js";
import { redact, redactDeep, registerSecret, sanitizeHeaders } from "../../src/core/redact.js";

describe("redact", () => {
  it("hides API keys but keeps their kind", () => {
    expect(redact("key rg_live_sk_abcDEF123_x9 used")).toBe("key rg_live_sk_*** used");
    expect(redact("key=rg_test_sk_Zz0")).toBe("key=rg_test_sk_***");
    expect(redact("xrg_live_sk_glued")).toBe("xrg_live_sk_***");
  });

  it("hides webhook secrets", () => {
    expect(redact("secret whsec_test_5f3c1b!")).toBe("secret whsec_***!");
  });

  it("hides bearer tokens of any shape, any case", () => {
    expect(redact("Authorization: Bearer eyJhbGci.eyJzdWIi.sig-_")).toBe("Authorization: Bearer ***");
    expect(redact("bearer abc/def+ghi==")).toBe("bearer ***");
    expect(redact("Bearer rg_live_sk_abc")).toBe("Bearer ***");
  });

  it("is idempotent and leaves ordinary text alone", () => {
    const once = redact("Bearer tok rg_live_sk_a whsec_b");
    expect(redact(once)).toBe(once);
    expect(redact("No agent with id 4f1c")).toBe("No agent with id 4f1c");
  });

  it("keeps the auth-params of a WWW-Authenticate challenge, which are no token", () => {
    const challenge = 'Bearer realm="resonantgenesis", error="invalid_token"';
    expect(redact(challenge)).toBe(challenge);
    expect(sanitizeHeaders({ "www-authenticate": challenge }).get("www-authenticate")).toBe(challenge);
  });

  it("hides a URL's user and password, up to the last @ before its host", () => {
    expect(redact("proxy http://u:secretpw@127.0.0.1:3128/ failed")).toBe("proxy http://***@127.0.0.1:3128/ failed");
    expect(redact("https://x.test/a:b@c and mail me@x.test")).toBe("https://x.test/a:b@c and mail me@x.test");
    expect(redact("HTTPS://u:p@ss@host/api")).toBe("HTTPS://***@host/api");
  });

  it("hides a URL's user and password however its scheme is spelt, as a refusal quotes it", () => {
    const shownAs: Record<string, string> = {
      "http:/u:pw@host/api": "http:/***@host/api",
      "http:\\u:pw@host/api": "http:\\***@host/api",
      "http:u:pw@host/api": "http:***@host/api",
      "http//u:pw@host/api": "http//***@host/api",
      "https:/\\u:pw@1@host": "https:/\\***@host",
    };
    for (const [url, shown] of Object.entries(shownAs)) {
      expect(redact(`got "${url}"`)).toBe(`got "${shown}"`);
      // Quoted as JSON, a backslash doubled.
      expect(redact(JSON.stringify(url))).not.toContain("pw");
    }
    // Text that is no URL's userinfo is left as it is.
    for (const text of ["mailto:me@x.test", "see x.test/a:b@c", "npm i @scope/pkg@1.2.0", "time 10:30@home"])
      expect(redact(text)).toBe(text);
  });

  it("hides extra literal secrets", () => {
    expect(redact("token is opaque-token-123!", ["opaque-token-123"])).toBe("token is ***!");
    expect(redact("a b c", ["a", undefined])).toBe("a b c");
  });

  it("redacts deep values", () => {
    expect(redactDeep({ a: ["rg_live_sk_x", 1, null], b: { c: "whsec_y" } })).toEqual({
      a: ["rg_live_sk_***", 1, null],
      b: { c: "whsec_***" },
    });
  });

  it("drops credential headers and redacts the rest", () => {
    const h = sanitizeHeaders({
      Authorization: "Bearer x",
      Cookie: "s=1",
      "X-Api-Key": "k",
      "X-Echo": "rg_live_sk_abc",
      "X-Request-Id": "req_1",
    });
    expect([...h]).toEqual([
      ["x-echo", "rg_live_sk_***"],
      ["x-request-id", "req_1"],
    ]);
  });
});

describe("registerSecret", () => {
  it("hides a registered value everywhere from then on, keeping a kind prefix", () => {
    const secret = "jwt-like.opaque_Value-42";
    expect(redact(`token ${secret}`)).toBe(`token ${secret}`);
    registerSecret(secret);
    registerSecret("abc"); // too short: ordinary words stay
    expect(redact(`token ${secret}; abc`)).toBe("token ***; abc");
    expect(new APIConnectionError(`sent ${secret}`).message).toBe("sent ***");
    registerSecret("whsec_Reg1stered");
    expect(redact("secret whsec_Reg1stered")).toBe("secret whsec_***");
  });

  it("hides a registered value URL-encoded too, as a link or a Location echoing it carries it", () => {
    const token = "b64+Tok/en==";
    registerSecret(token);
    expect(redact(`Location: /next?token=${encodeURIComponent(token)}&a=1`)).toBe("Location: /next?token=***&a=1");
  });
});
