// docs/protocol.md section 1: version selection, the served-version headers, and
// the lifecycle states (current, deprecated, gone, and "auto" from the clock).
import { describe, expect, test } from "vitest";
import { API_VERSIONS } from "@resonantgenesis/schemas";
import {
  VERSIONS,
  type Version,
  createAgent,
  direct,
  expectError,
  expectSchema,
  fastapiCode,
  missingId,
  row,
  useServer,
  version,
} from "./harness.js";

const h = useServer();
const other: Version = version === "1.2" ? "1.1" : "1.2";

/** The deprecation headers of `ver`'s row, exactly. */
function expectDeprecated(headers: Headers, ver: Version): void {
  const r = API_VERSIONS[ver];
  expect(headers.get("x-api-deprecation-date")).toBe(r.deprecatedSince);
  expect(headers.get("x-api-sunset-date")).toBe(r.sunset);
  expect(headers.get("x-api-upgrade-to")).toBe(r.upgradeTo);
  expect(headers.get("deprecation")).toBe(`@${Date.parse(`${r.deprecatedSince}T00:00:00Z`) / 1000}`);
  expect(headers.get("sunset")).toBe(new Date(`${r.sunset}T00:00:00Z`).toUTCString());
}

function expectNotDeprecated(headers: Headers): void {
  for (const name of ["x-api-deprecation-date", "x-api-sunset-date", "deprecation", "sunset"])
    expect(headers.get(name), name).toBeNull();
}

/** The code of an error answer, in either form. */
function codeOf(json: unknown): string {
  const body = json as { error?: { code: string }; detail?: unknown };
  return body.error ? body.error.code : fastapiCode(body.detail);
}

describe("version selection", () => {
  test("in the path: /api/v<version>/agents serves that version", async () => {
    await createAgent(h.client, "p");
    const res = await h.client.get(`/api/v${version}/agents`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-api-version")).toBe(version);
    expectSchema("AgentList", res.json);
  });

  test.each(["/api/v1/agents", "/api/agents"])("in the X-API-Version header on %s", async (path) => {
    await createAgent(h.client, "h");
    const res = await h.client.get(path, { headers: { "X-API-Version": version } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-api-version")).toBe(version);
    // the body has exactly the fields of the chosen version
    expectSchema("AgentList", res.json);
    expect(res.json.data).toHaveLength(1);
  });

  test("the same version in path and header is no conflict", async () => {
    const res = await h.client.get(`/api/v${version}/agents`, { headers: { "X-API-Version": version } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-api-version")).toBe(version);
  });

  test("two different versions: 400 version_conflict", async () => {
    const res = await h.client.get(`/api/v${version}/agents`, {
      headers: { "X-API-Version": other },
      anyErrorForm: true,
    });
    expect(res.status).toBe(400);
    expect(codeOf(res.json)).toContain("version_conflict");
  });

  test.each([
    ["header 9.9 on /api/agents", "/api/agents", "9.9"],
    ["header 1.3 on /api/v1/agents", "/api/v1/agents", "1.3"],
    ["path /api/v1.9/agents", "/api/v1.9/agents", undefined],
  ])("unknown version (%s): 400 unsupported_version", async (_name, path, header) => {
    const res = await h.client.get(path, { headers: header ? { "X-API-Version": header } : {}, anyErrorForm: true });
    expect(res.status).toBe(400);
    expect(codeOf(res.json)).toContain("unsupported_version");
  });

  test.each(["/api/agents", "/api/v1/agents"])("no version at all (%s) gets the current one, 1.2", async (path) => {
    await createAgent(h.client, "c");
    const res = await h.client.get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-api-version")).toBe("1.2");
    expectSchema("AgentList", res.json, "1.2");
  });

  test("X-API-Version and a distinct X-Request-Id on every response (2xx, 4xx)", async () => {
    const agent = await createAgent(h.client, "r");
    const answers = [
      await h.client.get("/agents"),
      await h.client.post("/agents", { name: "r2" }),
      await h.client.get(`/agents/${agent.id}`),
      await h.client.del(`/agents/${agent.id}`),
      await h.client.get(`/agents/${missingId()}`),
      await h.client.get("/agents", { key: null }),
      await h.client.post("/agents", { name: "x", nope: 1 }),
      await h.client.post("/agents", "{not json"),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 201, 200, 204, 404, 401, 422, 400]);
    const ids = answers.map((a) => a.headers.get("x-request-id"));
    for (const a of answers) expect(a.headers.get("x-api-version")).toBe(version);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("lifecycle states", () => {
  test("current: no deprecation headers", async () => {
    const res = await h.client.get("/agents");
    expect(res.status).toBe(200);
    expectNotDeprecated(res.headers);
  });

  test.runIf(version !== "1.2")("deprecated: still served, with the exact headers of the version's row", async () => {
    h.api.setVersionState(version, "deprecated");
    const created = await h.client.post("/agents", { name: "d" });
    expect(created.status).toBe(201);
    expectDeprecated(created.headers, version);
    const res = await h.client.get("/agents");
    expect(res.status).toBe(200);
    expectDeprecated(res.headers, version);
    expectSchema("AgentList", res.json);
    // an error answer is deprecated too
    const missing = await h.client.get(`/agents/${missingId()}`);
    expect(missing.status).toBe(404);
    expectDeprecated(missing.headers, version);
    // the other versions are untouched
    const current = await h.client.get(`/api/v${other}/agents`);
    expectNotDeprecated(current.headers);
  });

  test("gone: 410 on every request, with X-API-Upgrade-To and api_version_gone", async () => {
    const agent = await createAgent(h.client, "g");
    h.api.setVersionState(version, "gone");
    const answers = [
      await h.client.get("/agents"),
      await h.client.get(`/agents/${agent.id}`),
      await h.client.post("/agents", { name: "later" }),
      await h.client.del(`/agents/${agent.id}`),
      await h.client.get("/agents", { key: null }),
      await h.client.get("/api/agents", { headers: { "X-API-Version": version } }),
    ];
    for (const res of answers) {
      expectError(res, 410, "api_version_gone", { strictCode: true });
      expect(res.headers.get("x-api-version")).toBe(version);
      if (row.upgradeTo) expect(res.headers.get("x-api-upgrade-to")).toBe(row.upgradeTo);
    }
    // nothing happened while gone: the agent is still there for the other versions
    const still = await h.client.get(`/api/v${other}/agents/${agent.id}`);
    expect(still.status).toBe(200);
  });
});

describe('"auto" state, from the clock', () => {
  /** What the lifecycle table says `ver` is at `iso`. */
  function expected(ver: Version, iso: string): "current" | "deprecated" | "gone" {
    const r = API_VERSIONS[ver];
    const t = Date.parse(iso);
    if (r.sunset && t >= Date.parse(`${r.sunset}T00:00:00Z`)) return "gone";
    if (r.deprecatedSince && t >= Date.parse(`${r.deprecatedSince}T00:00:00Z`)) return "deprecated";
    return "current";
  }

  const dates = [
    "2025-08-15T12:00:00Z",
    "2025-10-01T12:00:00Z",
    "2026-01-15T12:00:00Z",
    "2026-04-01T12:00:00Z",
    "2026-11-24T10:00:00Z",
  ];

  test("the table itself: 2025-10-01 has 1.0 deprecated and 1.1 supported; 2026-11-24 has both gone", () => {
    expect(["1.0", "1.1", "1.2"].map((v) => expected(v as Version, "2025-10-01T12:00:00Z"))).toEqual([
      "deprecated",
      "current",
      "current",
    ]);
    expect(["1.0", "1.1", "1.2"].map((v) => expected(v as Version, "2026-11-24T10:00:00Z"))).toEqual([
      "gone",
      "gone",
      "current",
    ]);
  });

  test.each(dates)("at %s the version is what its row says (through api.fetch)", async (iso) => {
    const { api, client } = direct();
    for (const ver of VERSIONS) api.setVersionState(ver, "auto");
    api.clock.set(new Date(iso));
    const res = await client.get("/agents", { anyErrorForm: true });
    const state = expected(version, iso);
    expect(res.headers.get("x-api-version")).toBe(version);
    if (state === "gone") {
      expectError(res, 410, "api_version_gone", { strictCode: true });
      expect(res.headers.get("x-api-upgrade-to")).toBe(row.upgradeTo);
    } else {
      expect(res.status).toBe(200);
      if (state === "deprecated") expectDeprecated(res.headers, version);
      else expectNotDeprecated(res.headers);
    }
  });

  test.runIf(version !== "1.2")("advancing the clock past the sunset makes the version gone", async () => {
    const { api, client } = direct();
    api.setVersionState(version, "auto");
    api.clock.set(new Date(Date.parse(`${row.sunset}T00:00:00Z`) - 3_600_000));
    const before = await client.get("/agents");
    expect(before.status).toBe(200);
    expectDeprecated(before.headers, version);
    api.clock.advance(2 * 3_600_000);
    const after = await client.get("/agents");
    expectError(after, 410, "api_version_gone", { strictCode: true });
  });

  test("an explicit state overrides the clock, and 'auto' gives the table back", async () => {
    const { api, client } = direct();
    api.clock.set(new Date("2026-11-24T10:00:00Z"));
    api.setVersionState(version, "current");
    const forced = await client.get("/agents");
    expect(forced.status).toBe(200);
    expectNotDeprecated(forced.headers);
    api.setVersionState(version, "auto");
    const auto = await client.get("/agents");
    expect(auto.status).toBe(version === "1.2" ? 200 : 410);
  });
});
