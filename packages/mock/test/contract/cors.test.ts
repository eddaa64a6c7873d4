// The loopback server (startMockServer) answers browsers: CORS preflight, and
// the contract headers exposed to scripts on every answer.
import { expect, test } from "vitest";
import { DEMO_API_KEY, useServer, version } from "./harness.js";

const h = useServer();
const origin = "http://localhost:5173";

test("a preflight for a POST with the SDK's headers is allowed", async () => {
  const res = await fetch(`${h.baseURL}/v${version}/agents`, {
    method: "OPTIONS",
    headers: {
      Origin: origin,
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": "authorization, content-type, idempotency-key, x-api-version, last-event-id",
    },
  });
  expect(res.status).toBeLessThan(300);
  expect(["*", origin]).toContain(res.headers.get("access-control-allow-origin"));
  expect(res.headers.get("access-control-allow-methods") ?? "").toMatch(/POST/);
  const allowed = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase();
  if (allowed !== "*")
    for (const name of ["authorization", "content-type", "idempotency-key", "x-api-version", "last-event-id"])
      expect(allowed).toContain(name);
});

test("answers expose the contract headers to the page", async () => {
  h.api.setVersionState(version, version === "1.2" ? "current" : "deprecated");
  const res = await fetch(`${h.baseURL}/v${version}/agents`, {
    headers: { Origin: origin, Authorization: `Bearer ${DEMO_API_KEY}` },
  });
  expect(res.status).toBe(200);
  expect(["*", origin]).toContain(res.headers.get("access-control-allow-origin"));
  const exposed = (res.headers.get("access-control-expose-headers") ?? "").toLowerCase();
  const needed = ["x-api-version", "x-request-id", "retry-after", "idempotent-replayed"];
  if (version !== "1.0") needed.push("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset");
  if (version !== "1.2") needed.push("deprecation", "sunset", "x-api-sunset-date", "x-api-upgrade-to");
  if (exposed !== "*") for (const name of needed) expect(exposed, name).toContain(name);
});
