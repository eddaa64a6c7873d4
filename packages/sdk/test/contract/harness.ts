// The SDK contract matrix's harness: each test file runs once per API version
// (the contract-v1.x projects inject it), against the MSW handlers of the
// real mock, so the SDK meets the same API that users' tests meet.
import { afterAll, afterEach, beforeAll, inject } from "vitest";
import { setupServer } from "msw/node";
import { createMockApi, DEMO_API_KEY, type MockApi } from "@resonantgenesis/mock";
import { handlers } from "@resonantgenesis/mock/msw";
import { versionAtLeast, type ApiVersion } from "@resonantgenesis/schemas/meta";
import { ResonantClient, type ClientOptions } from "@resonantgenesis/sdk";

/** The version this run of the file checks. */
export const version = inject("apiVersion");
/** The mock's base URL as MSW intercepts it. */
export const BASE_URL = "https://resonantgenesis.xyz/api";

/** Whether the version under test has what `minimum` brought; by the lifecycle table's order, not by comparing strings ("1.10" > "1.9"). */
export const atLeast = (minimum: ApiVersion) => versionAtLeast(version, minimum);

/**
 * One mock API and one MSW server per test file; the version under test is
 * forced "current" because on today's date 1.0 and 1.1 are past sunset.
 */
export function useMock(options: Parameters<typeof createMockApi>[0] = {}) {
  const api: MockApi = createMockApi({ stepDelayMs: 5, pingIntervalMs: 50, ...options });
  const server = setupServer(...handlers(api, { baseURL: BASE_URL }));
  const sent: Request[] = [];
  server.events.on("request:start", ({ request }) => {
    sent.push(request);
  });
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    api.faults.reset();
    for (const v of ["1.0", "1.1", "1.2"] as const) api.setVersionState(v, "current");
    sent.length = 0;
  });
  afterAll(() => server.close());
  for (const v of ["1.0", "1.1", "1.2"] as const) api.setVersionState(v, "current");

  /**
   * A client pinned to the version under test, on the demo account unless a
   * key is given. It reads answers strictly (unknown fields refused), so the
   * plain mock is held to the letter of the version's schemas. Typed as the fullest client: the run-time pin is the
   * injected version, and tests guard later features with `atLeast`.
   */
  const client = (extra: Omit<ClientOptions<"1.2">, "apiVersion"> = {}) =>
    new ResonantClient({
      apiKey: DEMO_API_KEY,
      logLevel: "off",
      validateResponses: "strict",
      ...extra,
      apiVersion: version as "1.2",
    });
  return { api, server, client, sent };
}
