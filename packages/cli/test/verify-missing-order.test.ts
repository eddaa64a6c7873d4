/**
 * Verify and the dry runs against an account that lacks some of the archive's objects and holds one changed: the
 * ids the account lacks are no longer kept in memory but read again from the archive (digest-index.ts), and come out
 * as before: each kind in the order the archive first names it, each id in archive order, once; the changed object
 * with its fields; and the plan's counts told by kind and id.
 */
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { events, exportedAccount } from "./helpers.js";

// Made while the file is collected (top-level await), closed after its tests.
const { mock, tmp, cli, archive, close } = await exportedAccount({ tools: 5, memories: 6 }, "a.json");
afterAll(() => close());

type Obj = Record<string, unknown> & { id: string };
type Doc = Record<string, unknown> & { tools: Obj[]; memories: Obj[] };

const doc = JSON.parse(await readFile(archive, "utf8")) as Doc;
const kindsInFile = Object.keys(doc).filter((key) => key === "tools" || key === "memories");
const gone = { tools: [0, 3], memories: [1, 4, 5] } as const;
const ref = (kind: "tools" | "memories", i: number) => ({ kind, id: doc[kind][i]!.id });

/** A new account holding the archive less the objects in `gone`, with tools[2] changed in one field if `change`. */
async function partialAccount(change = true): Promise<string> {
  const partial: Doc = { ...doc, tools: [...doc.tools], memories: [...doc.memories] };
  delete partial.counts;
  delete partial.checksum;
  for (const kind of ["tools", "memories"] as const)
    partial[kind] = doc[kind].filter((_, i) => !(gone[kind] as readonly number[]).includes(i));
  if (change)
    partial.tools = partial.tools.map((t) => (t.id === doc.tools[2]!.id ? { ...t, description: "changed here" } : t));
  const file = tmp.path("partial.json");
  await writeFile(file, JSON.stringify(partial));
  const key = mock.api.createAccount().key;
  const run = await cli(["import", file, "--quiet"], { env: { RESONANT_API_KEY: key } });
  expect(run.code, run.stderr).toBe(0);
  return key;
}

describe("an account that lacks some of the archive's objects", () => {
  it("verify lists them kind by kind in archive order, and names the changed object's field", async () => {
    const key = await partialAccount();
    const run = await cli(["verify", archive, "--json"], { env: { RESONANT_API_KEY: key } });
    expect(run.code, run.stderr).toBe(3);
    const summary = events(run.stdout).at(-1)!;
    expect(summary.missing).toEqual(
      kindsInFile.flatMap((kind) => gone[kind as "tools"].map((i) => ref(kind as "tools", i))),
    );
    expect(summary.changed).toEqual([{ ...ref("tools", 2), fields: ["description"] }]);
    expect(summary.extra).toEqual([]);
    const plain = await cli(["verify", archive], { env: { RESONANT_API_KEY: key } });
    expect(plain.stdout).toMatch(/tools +5 +3 +2 +1 +0/);
    expect(plain.stdout).toMatch(/memories +6 +3 +3 +0 +0/);
  });

  it("verify lists them when nothing is changed too (the archive is read again for them alone)", async () => {
    const key = await partialAccount(false);
    const run = await cli(["verify", archive, "--json"], { env: { RESONANT_API_KEY: key } });
    expect(run.code, run.stderr).toBe(3);
    const summary = events(run.stdout).at(-1)!;
    expect(summary.missing).toEqual(
      kindsInFile.flatMap((kind) => gone[kind as "tools"].map((i) => ref(kind as "tools", i))),
    );
    expect(summary.changed).toEqual([]);
    const restored = await cli(["restore", archive, "--json"], { env: { RESONANT_API_KEY: key } });
    expect(restored.code, restored.stderr).toBe(0);
    expect((await cli(["verify", archive], { env: { RESONANT_API_KEY: key } })).code).toBe(0);
  });

  it("import --dry-run plans the lacking objects as created and the changed one as overwritten", async () => {
    const key = await partialAccount();
    const run = await cli(["import", archive, "--dry-run", "--on-conflict", "overwrite", "--json"], {
      env: { RESONANT_API_KEY: key },
    });
    expect(run.code, run.stderr).toBe(3);
    const plan = events(run.stdout).find((e) => e.event === "plan")!;
    expect(plan.kinds).toContainEqual({ kind: "tools", read: 5, create: 2, skip: 2, overwrite: 1, conflict: 0 });
    expect(plan.kinds).toContainEqual({ kind: "memories", read: 6, create: 3, skip: 3, overwrite: 0, conflict: 0 });
  });

  it("verify gives the same answer when the archive's header comes after its records", async () => {
    // Verify takes the archive's digests in the read that checks it, once the header has named the version; with the
    // header last, they are taken in a read of their own. Both must tell the same objects missing and changed.
    const key = await partialAccount();
    const { counts: _counts, checksum: _checksum, ...rest } = doc;
    const entries = Object.entries(rest);
    const last = Object.fromEntries([
      ...entries.filter(([, v]) => Array.isArray(v)),
      ...entries.filter(([, v]) => !Array.isArray(v)),
    ]);
    expect(Object.keys(last).indexOf("api_version")).toBeGreaterThan(Object.keys(last).indexOf("memories"));
    const file = tmp.path("header-last.json");
    await writeFile(file, JSON.stringify(last));
    const [headerFirst, headerLast] = await Promise.all(
      [archive, file].map((path) => cli(["verify", path, "--json"], { env: { RESONANT_API_KEY: key } })),
    );
    expect([headerFirst!.code, headerLast!.code]).toEqual([3, 3]);
    const { file: _a, ...first } = events(headerFirst!.stdout).at(-1)!;
    const { file: _b, ...after } = events(headerLast!.stdout).at(-1)!;
    expect(after).toEqual(first);
    expect(first.changed).toEqual([{ ...ref("tools", 2), fields: ["description"] }]);
  });
});
