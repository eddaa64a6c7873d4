// Which kinds a target can import comes from KIND_TABLE's importSince
// (commands/common.ts checkImportable): data holding a kind the target's
// version cannot import is refused whole, before anything is sent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportedAccount } from "./helpers.js";

let setup: Awaited<ReturnType<typeof exportedAccount>>;
let archive: string;

beforeAll(async () => {
  setup = await exportedAccount({ agents: 2, tools: 3, sessions: 1 }, "v12.json");
  archive = setup.tmp.path("v11.json");
  const run = await setup.cli(["export", "--out", archive, "--api-version", "1.1"]);
  if (run.code !== 0) throw new Error(`the 1.1 export failed (exit ${run.code}): ${run.stderr}`);
}, 60_000);
afterAll(async () => {
  await setup.close();
});

describe("import into a version that cannot import every kind of the archive", () => {
  it("a 1.1 archive with tools into a 1.1 account: exit 1, the kinds named, nothing sent", async () => {
    const before = setup.mock.imports().length;
    const run = await setup.cli(["import", archive, "--api-version", "1.1"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "API 1.1 can import agents only, and this data holds 3 tools, 1 sessions: import into a 1.2 account (--api-version 1.2); nothing was sent",
    );
    expect(setup.mock.imports().length).toBe(before);
  });

  it("the same archive into a 1.2 account goes in", async () => {
    const run = await setup.cli(["import", archive, "--api-version", "1.2", "--on-conflict", "overwrite"]);
    expect(run.code).toBe(0);
  });
});
