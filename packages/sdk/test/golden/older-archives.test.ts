import { describe, expect, test } from "vitest";
import { ResonantClient } from "@resonantgenesis/sdk";
import { answer } from "./fixtures.js";
import { MODES } from "./golden-api.js";

// docs/protocol.md section 6 on 1.0 and 1.1, which have no /data/export: `GET /<kind>/export` pages
// (`{"<kind>": [...], "next_cursor": ...}`, no `has_more`), sessions with their steps inline, and "the kinds
// that the archive's api_version lacks are left out" (1.0: agents, sessions, webhooks; 1.1 adds tools).
// Webhooks have no export before 1.2: the SDK takes them from the list.
const steps = answer("step-list.json").data;
const SECOND = "1b7c4f6e-2a51-4d38-9c1e-7f2d8a6b5e11";

function server(version: "1.0" | "1.1") {
  const agent = answer(`agent-${version}.json`);
  const pages: Record<string, (cursor: string | null) => unknown> = {
    "agents/export": (cursor) =>
      cursor === "c_2"
        ? { agents: [{ ...agent, id: SECOND }], next_cursor: null }
        : { agents: [agent], next_cursor: "c_2" },
    "sessions/export": () => ({ sessions: [{ ...answer("session-1.0.json"), steps }], next_cursor: null }),
    "tools/export": () => ({ tools: [answer("tool-1.1.json")], next_cursor: null }),
    webhooks: () => ({ object: "list", data: [answer("webhook-1.0.json")], has_more: false, next_cursor: null }),
  };
  const sent: string[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(new Request(input, init).url);
    sent.push(url.pathname);
    const page = pages[url.pathname.replace(`/api/v${version}/`, "")];
    if (page === undefined || (version === "1.0" && url.pathname.includes("tools"))) {
      return new Response("no such route", { status: 501 });
    }
    return new Response(JSON.stringify(page(url.searchParams.get("cursor"))), {
      headers: { "content-type": "application/json" },
    });
  };
  return { sent, fetch, agent };
}

describe.each(MODES)("exportAll on the versions without /data/export, %s", (mode) => {
  test.each([
    ["1.0", ["agents", "sessions", "webhooks"]],
    ["1.1", ["tools", "agents", "sessions", "webhooks"]],
  ] as const)("%s: an archive of exactly %j, pages followed to their null cursor", async (version, kinds) => {
    const { fetch, sent, agent } = server(version);
    const client = new ResonantClient({
      apiKey: "rg_test_sk_x",
      apiVersion: version,
      fetch,
      logLevel: "off",
      ...(mode === "strict" ? { validateResponses: "strict" as const } : {}),
    });
    const archive = (await client.data.exportAll()) as Record<string, unknown>;
    const { exported_at, ...rest } = archive;
    expect(typeof exported_at).toBe("string");
    expect(rest).toEqual({
      format: "resonantgenesis.export",
      format_version: 1,
      api_version: version,
      ...(version === "1.1" ? { tools: [answer("tool-1.1.json")] } : {}),
      agents: [agent, { ...agent, id: SECOND }],
      sessions: [{ ...answer("session-1.0.json"), steps }],
      webhooks: [answer("webhook-1.0.json")],
    });
    expect(Object.keys(rest).filter((k) => Array.isArray(rest[k]))).toEqual(expect.arrayContaining([...kinds]));
    expect(Object.keys(rest).filter((k) => Array.isArray(rest[k]))).toHaveLength(kinds.length);
    expect(sent.filter((p) => p.endsWith("/agents/export"))).toHaveLength(2);
  });
});
