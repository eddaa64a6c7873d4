// Values that docs/protocol.md writes out and that the other contract tests check against the
// schemas package's own tables (API_VERSIONS, KINDS): here they are copied from the text, so a
// wrong table cannot make the mock and its tests agree. Sections 1 and 6.
import { describe, expect, test } from "vitest";
import { createMockApi } from "@resonantgenesis/mock";
import { Client, DEMO_API_KEY, expectError, ndjson, newAccount, useServer, version } from "./harness.js";

const h = useServer();

/** Section 1's lifecycle table and the headers a deprecated version's answers carry, written out. */
const DEPRECATED = {
  "1.0": {
    "x-api-deprecation-date": "2025-09-01",
    "x-api-sunset-date": "2026-03-01",
    "x-api-upgrade-to": "v1.2",
    deprecation: "@1756684800",
    sunset: "Sun, 01 Mar 2026 00:00:00 GMT",
  },
  "1.1": {
    "x-api-deprecation-date": "2025-12-01",
    "x-api-sunset-date": "2026-06-01",
    "x-api-upgrade-to": "v1.2",
    deprecation: "@1764547200",
    sunset: "Mon, 01 Jun 2026 00:00:00 GMT",
  },
} as const;

/** The state section 1's table gives each version on a day well inside each period (no boundary read). */
const STATES: [string, Record<string, "current" | "deprecated" | "gone">][] = [
  ["2025-08-15T12:00:00Z", { "1.0": "current", "1.1": "current", "1.2": "current" }],
  ["2025-10-01T12:00:00Z", { "1.0": "deprecated", "1.1": "current", "1.2": "current" }],
  ["2026-01-15T12:00:00Z", { "1.0": "deprecated", "1.1": "deprecated", "1.2": "current" }],
  ["2026-04-01T12:00:00Z", { "1.0": "gone", "1.1": "deprecated", "1.2": "current" }],
  // "on today's date both 1.0 and 1.1 are past their sunset"
  ["2026-11-24T10:00:00Z", { "1.0": "gone", "1.1": "gone", "1.2": "current" }],
];

describe("section 1, as written", () => {
  test.runIf(version !== "1.2")("a deprecated version's answers carry its row's values", async () => {
    h.api.setVersionState(version, "deprecated");
    const res = await h.client.get("/agents");
    expect(res.status).toBe(200);
    const row = DEPRECATED[version as "1.0" | "1.1"];
    for (const [name, value] of Object.entries(row)) expect(res.headers.get(name), name).toBe(value);
  });

  test.each(STATES)("with the mock's default states, on %s", async (iso, states) => {
    // No versionStates: the lifecycle follows the table and the clock.
    const api = createMockApi({ stepDelayMs: 5 });
    api.clock.set(new Date(iso));
    const client = new Client((request) => api.fetch(request), "https://resonantgenesis.xyz/api", DEMO_API_KEY);
    const res = await client.get("/agents", { anyErrorForm: true });
    const state = states[version];
    if (state === "gone") {
      expectError(res, 410, "api_version_gone", { strictCode: true });
      expect(res.headers.get("x-api-upgrade-to")).toBe("v1.2");
      return;
    }
    expect(res.status).toBe(200);
    const row = version === "1.2" ? undefined : DEPRECATED[version];
    if (state === "deprecated") expect(res.headers.get("deprecation")).toBe(row?.deprecation);
    else expect(res.headers.get("deprecation")).toBeNull();
  });
});

/** Section 6: which version exports and imports which kind, written out. */
const EXPORTS: Record<string, string[]> = {
  "1.0": ["agents", "sessions"],
  "1.1": ["agents", "sessions", "tools"],
  "1.2": ["agents", "sessions", "tools", "webhooks", "teams", "memories", "triggers"],
};
const IMPORTS: Record<string, string[]> = {
  "1.0": ["agents"],
  "1.1": ["agents"],
  "1.2": ["agents", "sessions", "tools", "webhooks", "teams", "memories", "triggers"],
};
const ALL = ["agents", "sessions", "tools", "webhooks", "teams", "memories", "triggers"];

describe("section 6, as written", () => {
  test("GET /<kind>/export and POST /<kind>/import exist exactly for the kinds the text gives the version", async () => {
    const client = newAccount(h);
    for (const kind of ALL) {
      const exported = await client.get(`/${kind}/export`, { anyErrorForm: true });
      expect(exported.status, `GET /${kind}/export`).toBe(EXPORTS[version]!.includes(kind) ? 200 : 404);
      const imported = await client.post(`/${kind}/import`, { [kind]: [] }, { anyErrorForm: true });
      expect(imported.status, `POST /${kind}/import`).toBe(IMPORTS[version]!.includes(kind) ? 200 : 404);
    }
    const data = version === "1.2" ? 200 : 404;
    expect((await client.get("/data/export", { anyErrorForm: true })).status).toBe(data);
  });

  test.runIf(version === "1.2")(
    "the NDJSON export: records in the order tools, agents, teams, sessions, memories, triggers, webhooks; an end line counting every kind",
    async () => {
      const { key } = h.api.createAccount({});
      h.api.seed({ tools: 1, agents: 2, teams: 1, sessions: 1, memories: 1, triggers: 1, webhooks: 1 }, { key });
      const res = await h.client.as(key).get("/data/export", { headers: { Accept: "application/x-ndjson" } });
      expect(res.status).toBe(200);
      const lines = ndjson(res.text);
      const kinds = lines.map((line) => line.kind);
      const order = ["tool", "agent", "team", "session", "memory", "trigger", "webhook", "end"];
      expect([...new Set(kinds)]).toEqual(order);
      expect(kinds).toEqual([...kinds].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
      // As section 7's example shows it: every kind named, a kind without objects counted 0.
      expect(lines.at(-1)).toEqual({
        kind: "end",
        counts: { tools: 1, agents: 2, teams: 1, sessions: 1, memories: 1, triggers: 1, webhooks: 1 },
      });
      const empty = newAccount(h);
      const none = await empty.get("/data/export", { headers: { Accept: "application/x-ndjson" } });
      expect(ndjson(none.text)).toEqual([
        { kind: "end", counts: { tools: 0, agents: 0, teams: 0, sessions: 0, memories: 0, triggers: 0, webhooks: 0 } },
      ]);
    },
  );
});
