import { ResonantClient, type ApiVersion } from "@resonantgenesis/sdk";
import { fakeServer, type Route } from "./fake-server.js";

// The golden server's answers: each call the tests make, and the fixture that answers it.
export const AGENT = "0b7c4f6e-2a51-4d38-9c1e-7f2d8a6b5e10";
export const MISSING_AGENT = "4f1c0a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b";
export const SESSION = "5d0c2e7a-9b13-4f6a-8d25-c41e0a7b3f96";
export const TEAM_SESSION = "6e1d3f8b-ac24-4071-9e36-d52f1b8c4a07";
export const WEBHOOK = "8a3f5bad-ce46-4293-b058-f74b3dae6c29";
export const TOOL = "9b4a6cbe-df57-43a4-8169-a85c4ebf7d3a";
export const TEAM = "1c5b7dcf-e068-44b5-927a-b96d5fc08e4b";
export const TRIGGER = "3e7d9fe1-028a-46d7-b49c-db8f71e2a06d";

const get = (path: string, file: string, more: Partial<Route> = {}): Route => ({ method: "GET", path, file, ...more });
const post = (path: string, file: string, more: Partial<Route> = {}): Route => ({
  method: "POST",
  path,
  file,
  ...more,
});

function routesOf(v: ApiVersion): Route[] {
  const p = `/api/v${v}`;
  const common: Route[] = [
    get(`${p}/agents/${AGENT}`, `agent-${v}.json`),
    get(`${p}/agents/${MISSING_AGENT}`, `error-404-${v === "1.2" ? "1.2" : "1.0"}.json`, { status: 404 }),
    post(`${p}/agents`, `error-422-${v === "1.2" ? "1.2" : "1.0"}.json`, { status: 422 }),
    get(`${p}/sessions/${SESSION}/steps`, "step-list.json"),
  ];
  if (v === "1.0") {
    return [
      ...common,
      get(`${p}/sessions/${SESSION}`, "session-1.0.json"),
      get(`${p}/webhooks/${WEBHOOK}`, "webhook-1.0.json"),
      post(`${p}/webhooks`, "webhook-1.0-create.json", { status: 201 }),
      post(`${p}/agents/import`, "import-result-1.0.json"),
    ];
  }
  const streamed = post(`${p}/sessions`, "session-stream.sse.txt", { accept: "text/event-stream" });
  if (v === "1.1") return [...common, streamed, get(`${p}/tools/${TOOL}`, "tool-1.1.json")];
  return [
    ...common,
    streamed,
    get(`${p}/tools/${TOOL}`, "tool-1.1.json"),
    get(`${p}/agents`, "agent-list-page-2.json", { query: { cursor: "c_0b7c4f6e" } }),
    get(`${p}/agents`, "agent-list-page-1.json", { query: { cursor: null } }),
    get(`${p}/agents/export`, "agent-export-page.json"),
    get(`${p}/sessions/${SESSION}`, "session-1.2.json"),
    get(`${p}/sessions/${TEAM_SESSION}`, "session-1.2-team.json"),
    get(`${p}/webhooks/${WEBHOOK}`, "webhook-1.2.json"),
    post(`${p}/webhooks`, "webhook-1.2-create.json", { status: 201 }),
    get(`${p}/teams/${TEAM}`, "team.json"),
    post(`${p}/memories/search`, "memory-search.json"),
    get(`${p}/triggers/${TRIGGER}`, "trigger.json"),
    post(`${p}/agents/${AGENT}/triggers`, "trigger-create.json", { status: 201 }),
    post(`${p}/sessions/import`, "import-result-1.2.json"),
    get(`${p}/data/export`, "data-export.ndjson.txt", { accept: "application/x-ndjson" }),
    get(`${p}/data/export`, "archive-1.2.json"),
  ];
}

/** The answer check under test: the default (compatible) and strict. */
export type Mode = "compatible" | "strict";
export const MODES: readonly Mode[] = ["compatible", "strict"];

/** A client of version `apiVersion` over the golden server (plus `extra` routes, matched first). */
export function goldenClient<const V extends ApiVersion>(apiVersion: V, mode: Mode, extra: Route[] = []) {
  const server = fakeServer([...extra, ...routesOf(apiVersion)]);
  const client = new ResonantClient({
    apiKey: "rg_test_sk_x",
    baseURL: "https://example.test/api",
    apiVersion,
    fetch: server.fetch,
    logLevel: "off",
    // The default mode is left unset, so the test also checks that it is the default.
    ...(mode === "strict" ? { validateResponses: "strict" as const } : {}),
  });
  return { client, requests: server.requests };
}
