/**
 * Private by default (docs/guarantees.md): every file `resonant` makes may hold the account's data or its
 * secrets, so it is made with mode 0600, and a log it appends to is set to 0600 whatever it had. Run as
 * real processes against the mock.
 */
import { chmod, copyFile, stat, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { exportedAccount } from "./helpers.js";

const { mock, tmp, cli, archive, close } = await exportedAccount({ agents: 6, webhooks: 2 }, "private.json");
afterAll(() => close());

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe("the files resonant writes", () => {
  it("an archive, a checkpoint, and a failure log and a secrets file it made are mode 0600", async () => {
    expect(await modeOf(archive)).toBe(0o600);
    const file = tmp.path("cut.json");
    await copyFile(archive, file);
    await chmod(file, 0o644);
    // The second import call goes in and its answer is lost: the run ends with its checkpoint.
    let calls = -1;
    mock.dropImport = () => (++calls === 1 ? "after" : undefined);
    const args = ["import", file, "--batch-size", "2", "--max-retries", "0"];
    const files = ["--failures", tmp.path("made-failures.ndjson"), "--secrets-out", tmp.path("made-secrets.ndjson")];
    const cut = await cli([...args, ...files], { env: { RESONANT_API_KEY: mock.api.createAccount().key } }).finally(
      () => (mock.dropImport = undefined),
    );
    expect(cut.code, cut.stderr).toBe(1);
    expect(await modeOf(`${file}.checkpoint`)).toBe(0o600);
    expect(await modeOf(tmp.path("made-failures.ndjson"))).toBe(0o600);
    expect(await modeOf(tmp.path("made-secrets.ndjson"))).toBe(0o600);
  });

  it("an empty failure log and secrets file it appends to are set to 0600", async () => {
    const failures = tmp.path("open-failures.ndjson");
    const secrets = tmp.path("open-secrets.ndjson");
    for (const path of [failures, secrets]) {
      await writeFile(path, "");
      await chmod(path, 0o644);
    }
    const run = await cli(["import", archive, "--failures", failures, "--secrets-out", secrets], {
      env: { RESONANT_API_KEY: mock.api.createAccount().key },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(await modeOf(failures)).toBe(0o600);
    expect(await modeOf(secrets)).toBe(0o600);
  });
});
