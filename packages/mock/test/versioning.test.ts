import { describe, expect, test } from "vitest";
import { Lifecycle, autoState, chooseVersion } from "../src/versioning.js";
import { call, mock } from "./helpers.js";

describe("chooseVersion", () => {
  test.each([
    ["/api/v1.0/agents", null, "1.0", "/agents", undefined],
    ["/api/v1.1/agents/x", "1.1", "1.1", "/agents/x", undefined],
    ["/api/v1/agents", "1.1", "1.1", "/agents", undefined],
    ["/api/agents", "v1.0", "1.0", "/agents", undefined],
    ["/api/agents", null, "1.2", "/agents", undefined],
    ["/api/v1.2/agents", "1.1", "1.2", "/agents", "version_conflict"],
    ["/api/v1.9/agents", null, "1.2", "/agents", "unsupported_version"],
    ["/api/v2/agents", null, "1.2", "/agents", "unsupported_version"],
    ["/api/agents", "3.0", "1.2", "/agents", "unsupported_version"],
    ["/api/v1.0/agents", "9", "1.0", "/agents", "unsupported_version"],
  ] as const)("%s with header %s -> %s %s %s", (path, header, version, rest, code) => {
    const choice = chooseVersion(path, header)!;
    expect(choice.version).toBe(version);
    expect(choice.path).toBe(rest);
    expect(choice.error?.code).toBe(code);
  });

  test("paths outside /api are not the API's", () => {
    expect(chooseVersion("/other", null)).toBeNull();
  });
});

describe("lifecycle", () => {
  test("auto follows the table's dates", () => {
    expect(autoState("1.0", new Date("2025-08-31T23:59:59Z"))).toBe("current");
    expect(autoState("1.0", new Date("2025-09-01T00:00:00Z"))).toBe("deprecated");
    expect(autoState("1.0", new Date("2026-03-01T00:00:00Z"))).toBe("gone");
    expect(autoState("1.1", new Date("2026-05-31T00:00:00Z"))).toBe("deprecated");
    expect(autoState("1.2", new Date("2030-01-01T00:00:00Z"))).toBe("current");
  });

  test("deprecation headers carry the row's values and the RFC forms", () => {
    const headers = new Lifecycle({}, () => new Date()).deprecationHeaders("1.1");
    expect(headers).toEqual({
      "X-API-Deprecation-Date": "2025-12-01",
      "X-API-Sunset-Date": "2026-06-01",
      "X-API-Upgrade-To": "v1.2",
      Deprecation: `@${Date.UTC(2025, 11, 1) / 1000}`,
      Sunset: "Mon, 01 Jun 2026 00:00:00 GMT",
    });
  });

  test("through the app: a forced gone version answers 410 with X-API-Upgrade-To in its own error form", async () => {
    const api = mock();
    api.setVersionState("1.0", "gone");
    const res = await call(api, "GET", "/agents", { version: "1.0" });
    expect(res.status).toBe(410);
    expect(res.headers.get("x-api-upgrade-to")).toBe("v1.2");
    expect(res.headers.get("x-api-version")).toBe("1.0");
    expect(res.json.detail.code).toBe("api_version_gone");
    api.setVersionState("1.0", "auto");
    api.clock.set("2025-10-01T00:00:00Z");
    const deprecated = await call(api, "GET", "/agents", { version: "1.0" });
    expect(deprecated.status).toBe(200);
    expect(deprecated.headers.get("deprecation")).toBe(`@${Date.UTC(2025, 8, 1) / 1000}`);
  });

  test("routes of a later version are 404 on an earlier one; fields of later versions are stripped", async () => {
    const api = mock();
    expect((await call(api, "GET", "/teams", { version: "1.1" })).status).toBe(404);
    expect((await call(api, "GET", "/tools", { version: "1.0" })).status).toBe(404);
    const agent = (await call(api, "POST", "/agents", { body: { name: "a", memory_enabled: true } })).json;
    const old = (await call(api, "GET", `/agents/${agent.id}`, { version: "1.0" })).json;
    expect(old).not.toHaveProperty("tool_ids");
    expect(old).not.toHaveProperty("version");
    const refused = await call(api, "POST", "/agents", { body: { name: "a", memory_enabled: true }, version: "1.1" });
    expect(refused.status).toBe(422);
    expect(refused.json.detail[0].loc).toEqual(["body", "memory_enabled"]);
  });
});
