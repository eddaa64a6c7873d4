/**
 * What a --resume goes on from: the checkpoint names the account (a fingerprint of its key, never the
 * key) and the archive, and a resume into anything else is refused before a request is sent. Each
 * interrupted run is made by dropping one import call's connection (--max-retries 0), so it ends with
 * exit 1 after a known number of acknowledged batches, with no timing involved.
 */
import { createHash } from "node:crypto";
import { copyFile, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { accountOn, DEMO_API_KEY, exportedAccount } from "./helpers.js";

// Made while the file is collected (top-level await), closed after its tests.
const { mock, tmp, cli, archive, close } = await exportedAccount({ agents: 90, memories: 40 }, "big.json");
afterAll(() => close());

const BATCH = ["--batch-size", "20", "--max-retries", "0"];

/** Runs `args` with the third import call's connection dropped: two batches acknowledged, then exit 1. */
async function interrupted(args: string[], key: string): Promise<void> {
  let calls = 0;
  mock.dropImport = () => (calls++ === 2 ? "before" : undefined);
  const run = await cli([...args, ...BATCH], { env: { RESONANT_API_KEY: key } });
  mock.dropImport = undefined;
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toMatch(/--resume/);
}

/** Runs `args` with `key` and expects its account to end whole: the account the archive was exported from. */
async function endsWhole(args: string[], key: string) {
  const run = await cli(args, { env: { RESONANT_API_KEY: key } });
  expect(run.code, run.stderr).toBe(0);
  expect(await accountOn(mock, key)).toEqual(await accountOn(mock, DEMO_API_KEY));
  return run;
}

/** An older resonant's fingerprint, as its docs gave it: the first 16 hex digits of SHA-256 over a prefix and the key. */
const legacyFingerprint = (key: string) =>
  createHash("sha256").update("resonant checkpoint key fingerprint v1\n").update(key).digest("hex").slice(0, 16);

const checkpointOf = async (path: string) =>
  JSON.parse(await readFile(path, "utf8")) as Record<string, Record<string, unknown>>;

describe("--resume into another account", () => {
  it("import: refused naming the checkpoint, nothing sent; the right key then finishes the account", async () => {
    const first = mock.api.createAccount().key;
    const other = mock.api.createAccount().key;
    await interrupted(["import", archive], first);
    const text = await readFile(`${archive}.checkpoint`, "utf8");
    expect(text).not.toContain(first);
    const fingerprint = (JSON.parse(text) as { target: { key_fingerprint: string } }).target.key_fingerprint;
    // Salted and slow: neither the old unsalted SHA-256 of the key nor the same in another checkpoint of that key.
    expect(fingerprint).toMatch(/^s1:[0-9a-f]{32}:[0-9a-f]{16}$/);
    expect(fingerprint).not.toContain(legacyFingerprint(first));

    const requests = mock.seen.length;
    const refused = await cli(["import", archive, ...BATCH, "--resume"], { env: { RESONANT_API_KEY: other } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`the checkpoint ${archive}.checkpoint was made for another target account`);
    expect(refused.stderr).toContain("nothing was sent");
    expect(refused.stderr).not.toContain(other);
    expect(mock.seen.length).toBe(requests);
    expect(await readFile(`${archive}.checkpoint`, "utf8")).toBe(text);

    await endsWhole(["import", archive, ...BATCH, "--resume"], first);
  });

  it("copy: another target key, or another source key, is refused; nothing sent", async () => {
    const first = mock.api.createAccount().key;
    const other = mock.api.createAccount().key;
    await interrupted(["copy", "--to-key", first], DEMO_API_KEY);
    const checkpoint = join(tmp.dir, "resonant-copy.checkpoint");
    const text = await readFile(checkpoint, "utf8");
    expect(text).not.toContain(first);
    expect(text).not.toContain(DEMO_API_KEY);

    const requests = mock.seen.length;
    const target = await cli(["copy", "--to-key", other, ...BATCH, "--resume"]);
    expect(target.code).toBe(1);
    expect(target.stderr).toContain(`the checkpoint resonant-copy.checkpoint was made for another target account`);
    const source = await cli(["copy", "--to-key", first, ...BATCH, "--resume"], { env: { RESONANT_API_KEY: other } });
    expect(source.code).toBe(1);
    expect(source.stderr).toContain(`the checkpoint resonant-copy.checkpoint was made for another source account`);
    expect(mock.seen.length).toBe(requests);

    const resumed = await cli(["copy", "--to-key", first, ...BATCH, "--resume"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await accountOn(mock, first)).toEqual(await accountOn(mock, DEMO_API_KEY));
  });

  it("a checkpoint's fingerprint is salted afresh; one of an older resonant (unsalted) still resumes", async () => {
    const first = mock.api.createAccount().key;
    const other = mock.api.createAccount().key;
    await interrupted(["import", archive], first);
    const once = (await checkpointOf(`${archive}.checkpoint`)).target!.key_fingerprint;
    await rm(`${archive}.checkpoint`);
    await interrupted(["import", archive], first);
    const state = await checkpointOf(`${archive}.checkpoint`);
    expect(state.target!.key_fingerprint).not.toBe(once);
    // As an older resonant wrote it: 16 hex digits of SHA-256 over its prefix and the key.
    state.target!.key_fingerprint = legacyFingerprint(first);
    await writeFile(`${archive}.checkpoint`, JSON.stringify(state));
    const refused = await cli(["import", archive, ...BATCH, "--resume"], { env: { RESONANT_API_KEY: other } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("was made for another target account");
    await endsWhole(["import", archive, ...BATCH, "--resume"], first);
  });

  it("a checkpoint of an older resonant, which names no account, is refused with what to do", async () => {
    const first = mock.api.createAccount().key;
    await interrupted(["import", archive], first);
    const state = await checkpointOf(`${archive}.checkpoint`);
    delete state.target!.key_fingerprint;
    await writeFile(`${archive}.checkpoint`, JSON.stringify(state));
    const requests = mock.seen.length;
    const run = await cli(["import", archive, ...BATCH, "--resume"], { env: { RESONANT_API_KEY: first } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("was written by an older resonant and does not record which target account");
    expect(run.stderr).toContain("Run without --resume to start over");
    expect(mock.seen.length).toBe(requests);
    await endsWhole(["import", archive], first);
  });
});

describe("--resume with the archive named another way", () => {
  it("big.json, then ./big.json, then the absolute path: the same file, resumed", async () => {
    const key = mock.api.createAccount().key;
    await interrupted(["import", "big.json"], key);
    const dotted = await endsWhole(["import", "./big.json", ...BATCH, "--resume"], key);
    expect(dotted.stderr).not.toContain("is not the file");

    const other = mock.api.createAccount().key;
    await interrupted(["import", "./big.json"], other);
    await endsWhole(["import", archive, ...BATCH, "--resume"], other);
  });

  it("another file with the same bytes and time, or the file changed, is still refused", async () => {
    const key = mock.api.createAccount().key;
    await interrupted(["import", archive], key);
    const twin = tmp.path("twin.json");
    await copyFile(archive, twin);
    const { atime, mtime } = await stat(archive);
    await utimes(twin, atime, mtime);
    await copyFile(`${archive}.checkpoint`, `${twin}.checkpoint`);
    const requests = mock.seen.length;
    const elsewhere = await cli(["import", twin, ...BATCH, "--resume"], { env: { RESONANT_API_KEY: key } });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain(`${twin} is not the file the checkpoint ${twin}.checkpoint was made for`);

    await utimes(archive, atime, new Date(mtime.getTime() + 5000));
    const changed = await cli(["import", archive, ...BATCH, "--resume"], { env: { RESONANT_API_KEY: key } });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain("was made for (it changed)");
    expect(mock.seen.length).toBe(requests);
  });
});
