/**
 * `export` and `copy` from an API 1.0 or 1.1 account, which the SDK reads
 * page by page (there is no NDJSON export before 1.2), keep a number a
 * double cannot hold with the server's digits: in the archive's bytes, and
 * in what reaches the target (docs/guarantees.md, "Numbers beyond 2^53").
 * The mock stores parsed objects, so the agents' and webhooks' pages are rewritten
 * on the way out to carry a field the CLI does not know, holding
 * 9007199254740993 and a 30-digit integer. Run as real processes.
 */
import { readFile } from "node:fs/promises";
import { createMockApi } from "@resonantgenesis/mock";
import { startMockServer, type MockServer } from "@resonantgenesis/mock/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, tempDir } from "./helpers.js";

const EXTRA = '"x_big":9007199254740993,"x_huge":123456789012345678901234567890';

const api = createMockApi({ stepDelayMs: 1, versionStates: { "1.0": "deprecated", "1.1": "deprecated" } });
/** The first item of each rewritten page, as the page holds it. */
const rewritten: string[] = [];
/** The bodies of the import calls (a copy's target). */
const imports: string[] = [];
let mock: MockServer;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  // The agents' export pages and the webhooks' list pages (1.0 and 1.1 have no webhooks export).
  api.faults.set({
    method: "GET",
    path: /\/v1\.[01]\/(agents\/export|webhooks)$/,
    rewrite: (text) => {
      const page = JSON.parse(text) as { agents?: { id: string }[]; data?: { id: string }[] };
      const first = (page.agents ?? page.data)?.[0];
      if (first === undefined) return text;
      const item = JSON.stringify(first);
      const exact = item.replace(`"id":${JSON.stringify(first.id)}`, (id) => `${id},${EXTRA}`);
      if (!text.includes(item)) throw new Error("the mock's page does not hold its item as JSON.stringify writes it");
      rewritten.push(exact);
      return text.replace(item, exact);
    },
  });
  const served = Object.create(api) as typeof api;
  served.fetch = async (request: Request) => {
    if (request.method === "POST" && new URL(request.url).pathname.endsWith("/import"))
      imports.push(await request.clone().text());
    return api.fetch(request);
  };
  mock = await startMockServer({ api: served });
  tmp = await tempDir();
});
afterAll(async () => {
  await mock?.close();
  await tmp?.remove();
});

/** A new account holding `counts`. */
function account(counts: Parameters<typeof api.seed>[0]): string {
  const { key } = api.createAccount();
  api.seed(counts, { key });
  return key;
}

describe.each(["1.0", "1.1"])("from an API %s account", (version) => {
  it("export writes the page's digits into JSON and NDJSON archives, which verify against the account", async () => {
    // One export page of agents (up to 10,000 a page), two list pages of webhooks (100 a page).
    const key = account({ agents: 30, sessions: 2, webhooks: 130 });
    for (const format of ["json", "ndjson"]) {
      rewritten.length = 0;
      const out = tmp.path(`exact-${version}.${format}`);
      const run = await cliFor(mock, key, tmp.dir)(["export", "--out", out, "--api-version", version]);
      expect(run.code, run.stderr).toBe(0);
      expect(rewritten).toHaveLength(3);
      const bytes = await readFile(out, "utf8");
      for (const item of rewritten) expect(bytes).toContain(item);
      expect(bytes).not.toContain("9007199254740992");
      // verify reads the live account the same way: the digits match the archive's.
      const verify = await cliFor(mock, key, tmp.dir)(["verify", out, "--api-version", version]);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    }
  });

  it("copy sends the page's digits to the target, into the same version and into 1.2", async () => {
    for (const to of [version, "1.2"]) {
      const source = account({ agents: 30 });
      const target = api.createAccount().key;
      rewritten.length = 0;
      imports.length = 0;
      const run = await cliFor(
        mock,
        source,
        tmp.dir,
      )(["copy", "--api-version", version, "--to-api-version", to, "--to-key", target], {
        env: { RESONANT_TO_API_KEY: undefined },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(rewritten).toHaveLength(1);
      const sent = imports.join("\n");
      // Into the same version the item goes as it came; into 1.2 the upgrade adds fields, the digits stay.
      for (const item of rewritten) {
        if (to === version) expect(sent).toContain(item);
        else expect(sent).toContain(item.slice(0, item.indexOf(EXTRA) + EXTRA.length));
      }
      expect(sent).not.toContain("9007199254740992");
    }
  });
});
