import { expect, test, vi } from "vitest";
import { ApiVersionGoneError, ResonantClient } from "@resonantgenesis/sdk";

// docs/protocol.md section 1: "A gone version answers every request with `410 Gone`, the same
// `X-API-Upgrade-To` header and an error body (section 3) whose code is `api_version_gone`", beside the
// `X-API-Version` and `X-Request-Id` every response carries. Nothing more is promised: no
// `X-API-Sunset-Date` or `Sunset` on a 410 (the mock sends them, so its tests cannot tell). The sunset is
// the version's row of section 1's table, written out here.
const ROWS = [
  ["1.0", "2026-03-01", { detail: { code: "api_version_gone", message: "API version 1.0 is no longer served" } }],
  ["1.1", "2026-06-01", { detail: "API version 1.1 is no longer served" }],
] as const;

test.each(ROWS)(
  "a gone %s: ApiVersionGoneError with upgradeTo and the table's sunset, sent once",
  async (version, sunset, body) => {
    const sent: Request[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(new Request(input, init));
      return new Response(JSON.stringify(body), {
        status: 410,
        headers: {
          "content-type": "application/json",
          "x-api-version": version,
          "x-request-id": "req_gone1",
          "x-api-upgrade-to": "v1.2",
        },
      });
    };
    const onDeprecation = vi.fn();
    const client = new ResonantClient({
      apiKey: "rg_test_sk_x",
      apiVersion: version,
      fetch,
      onDeprecation,
      logLevel: "off",
    });
    const error = await client.agents.list().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiVersionGoneError);
    expect(error).toMatchObject({
      status: 410,
      code: "api_version_gone",
      apiVersion: version,
      upgradeTo: "v1.2",
      sunsetDate: sunset,
      requestId: "req_gone1",
    });
    expect(sent).toHaveLength(1);
    expect(onDeprecation).not.toHaveBeenCalled();
  },
);
