import { describe, expect, test, vi } from "vitest";
import { API_VERSIONS } from "@resonantgenesis/schemas";
import { ApiVersionGoneError, parseRateLimit, type DeprecationNotice } from "@resonantgenesis/sdk";
import { useMock, version } from "./harness.js";

const mock = useMock();
const row = API_VERSIONS[version];

describe(`the version lifecycle (API ${version})`, () => {
  test("current: no notice", async () => {
    const onDeprecation = vi.fn();
    await mock.client({ onDeprecation }).agents.list();
    expect(onDeprecation).not.toHaveBeenCalled();
  });

  test("deprecated: one notice per client and version, with the row's dates", async () => {
    mock.api.setVersionState(version, "deprecated");
    const notices: DeprecationNotice[] = [];
    const client = mock.client({ onDeprecation: (n) => notices.push(n) });
    await client.agents.list();
    await client.agents.list();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ apiVersion: version, deprecated: true });
    if (row.sunset) expect(notices[0]?.sunsetDate).toBe(row.sunset);
    if (row.upgradeTo) expect(notices[0]?.upgradeTo).toBe(row.upgradeTo);
    // A second client reports again: the promise is once per client.
    const other: DeprecationNotice[] = [];
    await mock.client({ onDeprecation: (n) => other.push(n) }).agents.list();
    expect(other).toHaveLength(1);
  });

  test("the default notice is one console warning, without the key", async () => {
    mock.api.setVersionState(version, "deprecated");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const client = mock.client({ logLevel: "warn" });
      await client.agents.list();
      await client.agents.list();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toContain(version);
      expect(JSON.stringify(warn.mock.calls)).not.toContain("rg_test_sk_demo");
    } finally {
      warn.mockRestore();
    }
  });

  test("gone: ApiVersionGoneError with upgradeTo and the sunset date, and no retry", async () => {
    mock.api.setVersionState(version, "gone");
    // The error says it all: no deprecation notice ("may refuse it (410) at any time") beside it.
    const onDeprecation = vi.fn();
    const error = await mock
      .client({ onDeprecation })
      .agents.list()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ApiVersionGoneError);
    const gone = error as ApiVersionGoneError;
    expect(gone.status).toBe(410);
    expect(gone.upgradeTo).toBe(row.upgradeTo ?? "v1.2");
    expect(gone.apiVersion).toBe(version);
    if (row.sunset) expect(gone.sunsetDate).toBe(row.sunset);
    expect(mock.sent).toHaveLength(1);
    expect(onDeprecation).not.toHaveBeenCalled();
  });

  test("versioning by header reaches the same version", async () => {
    const client = mock.client({ versioning: "header" });
    const { response } = await client.agents.list().withResponse();
    expect(response.headers.get("x-api-version")).toBe(version);
    expect(new URL(mock.sent[0]!.url).pathname).toBe("/api/agents");
    expect(mock.sent[0]!.headers.get("x-api-version")).toBe(version);
  });

  test("rate-limit figures are readable from a response (1.1+ sends them)", async () => {
    const { response } = await mock.client().agents.list().withResponse();
    const info = parseRateLimit(response.headers);
    if (version === "1.0") expect(info).toBeUndefined();
    else {
      expect(info?.limit).toBeGreaterThan(0);
      expect(info?.reset).toBeInstanceOf(Date);
    }
  });
});
