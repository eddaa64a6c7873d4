// The kinds table (KIND_TABLE in @resonantgenesis/schemas/meta) is the one
// statement of which version has which kind, export and import. This walks it
// and checks that the SDK and the mock both do what it says, for the version
// under test; the CLI's own check is in packages/cli/test.
import { describe, expect, test } from "vitest";
import { KINDS, KIND_TABLE, RECORD_KIND, versionAtLeast, type ApiVersion } from "@resonantgenesis/schemas/meta";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { UnsupportedFeatureError, type ExportRecord } from "@resonantgenesis/sdk";
import { BASE_URL, useMock, version } from "./harness.js";

const mock = useMock();
const pinned = version as ApiVersion;
const has = (since: ApiVersion) => versionAtLeast(pinned, since);

async function status(method: string, path: string, body?: unknown): Promise<number> {
  const init: RequestInit = {
    method,
    headers: { authorization: `Bearer ${DEMO_API_KEY}`, "content-type": "application/json" },
  };
  if (body !== undefined) init.body = JSON.stringify(body);
  return (await mock.api.fetch(new Request(`${BASE_URL}/v${version}/${path}`, init))).status;
}

describe(`the kinds table, API ${version}`, () => {
  test.each(KINDS)("%s: the client has the resource exactly from the version the table names", (kind) => {
    const client = mock.client() as unknown as Record<string, unknown>;
    const read = () => client[kind];
    if (has(KIND_TABLE[kind].since)) expect(read()).toBeDefined();
    else expect(read).toThrow(UnsupportedFeatureError);
  });

  test.each(KINDS)(
    "%s: the mock serves its list, export and import exactly from the versions the table names",
    async (kind) => {
      const { since, exportSince, importSince } = KIND_TABLE[kind];
      // Triggers are listed under an agent; their list route is checked by the resource tests.
      if (kind !== "triggers") expect((await status("GET", kind)) === 404).toBe(!has(since));
      expect((await status("GET", `${kind}/export`)) === 404).toBe(!has(exportSince));
      expect((await status("POST", `${kind}/import`, { [kind]: [] })) === 404).toBe(!has(importSince));
    },
  );

  test.each(KINDS)("%s: the SDK imports it exactly from the version the table names", async (kind) => {
    const client = mock.client({ apiKey: mock.api.createAccount().key });
    // An unsupported feature throws at the call, as every resource's does; awaiting covers both.
    const call = (async () => client.data.importBatch(kind, []))();
    if (has(KIND_TABLE[kind].importSince)) await expect(call).resolves.toMatchObject({ imported: 0, skipped: 0 });
    else await expect(call).rejects.toBeInstanceOf(UnsupportedFeatureError);
  });

  test("an archive and an export stream hold exactly the kinds the table gives this version, in its order, named as it says", async () => {
    const { key } = mock.api.createAccount();
    mock.api.seed(Object.fromEntries(KINDS.map((k) => [k, 1])), { key });
    const client = mock.client({ apiKey: key });
    const expected = KINDS.filter((k) => has(KIND_TABLE[k].since));
    const archive = (await client.data.exportAll()) as unknown as Record<string, unknown>;
    expect(Object.keys(archive).filter((k) => (KINDS as readonly string[]).includes(k))).toEqual(expected);
    const kinds: string[] = [];
    for await (const record of client.data.exportStream() as AsyncIterable<ExportRecord>)
      if (record.kind !== "end") kinds.push(record.kind);
    expect([...new Set(kinds)]).toEqual(expected.map((k) => RECORD_KIND[k]));
  });
});
