/**
 * What a `--resume` must keep of the interrupted run, besides its accounts and archive: the size of its
 * batches (a batch's idempotency key names its size, so the batch that went in unanswered, sent again in
 * another size, was carried out anew, and with `--on-conflict fail` each of its items was logged as a
 * conflict, exit 2) and its `--secrets-out` (a resume without it created webhooks whose secrets were kept
 * nowhere, exit 0; one added on resume, after a run without one, was appended to whatever it held).
 * Run as real processes against the mock.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_API_KEY, exportedAccount } from "./helpers.js";

const { mock, tmp, cli, archive, close } = await exportedAccount({ agents: 20, webhooks: 12 }, "settings.json");
afterAll(() => close());

/** Runs `args` with the import call number `n` (from 0) carried out and its answer lost: exit 1, a checkpoint. */
async function cutAt(n: number, key: string, args: readonly string[]): Promise<void> {
  let calls = -1;
  mock.dropImport = () => (++calls === n ? "after" : undefined);
  const cut = await cli([...args, "--max-retries", "0"], { env: { RESONANT_API_KEY: key } }).finally(
    () => (mock.dropImport = undefined),
  );
  expect(cut.code, cut.stderr).toBe(1);
  expect(cut.stderr).toContain("--resume");
}

describe("--resume keeps the interrupted run's settings", () => {
  it("its batch size: without --batch-size the resume sends batches of it (no false conflict), another is refused", async () => {
    const key = mock.api.createAccount().key;
    const args = ["import", archive, "--on-conflict", "fail", "--batch-size", "5"];
    await cutAt(1, key, args);

    const other = await cli(["import", archive, "--on-conflict", "fail", "--batch-size", "7", "--resume"], {
      env: { RESONANT_API_KEY: key },
    });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^resonant: --resume: the interrupted run sent batches of 5 \(--batch-size 5\)/);

    // The interrupted run kept no failure log, so neither does its resume (a false conflict would make exit 2).
    const resumed = await cli(["import", archive, "--on-conflict", "fail", "--resume"], {
      env: { RESONANT_API_KEY: key },
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^agents\s+20\s+20\s+0\s+0$/m);
  });

  it("its --secrets-out: a resume without it is refused before anything is sent; with it, every secret is kept", async () => {
    const key = mock.api.createAccount().key;
    const secrets = tmp.path("kept-secrets.ndjson");
    // Agents go in 4 batches of 5, then the webhooks' first batch is cut.
    await cutAt(4, key, ["import", archive, "--batch-size", "5", "--secrets-out", secrets]);

    const sent = mock.imports().length;
    const without = await cli(["import", archive, "--resume"], { env: { RESONANT_API_KEY: key } });
    expect(without.code).toBe(1);
    expect(without.stderr).toBe(
      `resonant: --resume: the interrupted run kept the new secrets of the webhooks and triggers it created in --secrets-out ${secrets}; resume with it (the secrets of what this run creates exist nowhere else); nothing was sent\n`,
    );
    expect(mock.imports().length).toBe(sent);
    // Another file would hold the rest of the secrets apart from the first ones (and be added to if it held
    // something): refused, and left as it was.
    const other = tmp.path("other-secrets.ndjson");
    await writeFile(other, "");
    const elsewhere = await cli(["import", archive, "--resume", "--secrets-out", other], {
      env: { RESONANT_API_KEY: key },
    });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toBe(
      `resonant: --resume: --secrets-out ${other} is not the file the interrupted run kept new secrets in, ${secrets}: a resume appends to that one, and to no other file; resume with --secrets-out ${secrets}; nothing was sent\n`,
    );
    expect(mock.imports().length).toBe(sent);
    expect(await readFile(other, "utf8")).toBe("");

    const resumed = await cli(["import", archive, "--resume", "--secrets-out", secrets], {
      env: { RESONANT_API_KEY: key },
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    const lines = (await readFile(secrets, "utf8")).split("\n").filter(Boolean);
    expect(new Set(lines.map((line) => (JSON.parse(line) as { id: string }).id)).size).toBe(12);
    expect(lines.every((line) => /"secret":"whsec_/.test(line))).toBe(true);
  });

  it("a --secrets-out added on resume, after a run that kept none, is a new file: one that holds anything is refused", async () => {
    const key = mock.api.createAccount().key;
    await cutAt(4, key, ["import", archive, "--batch-size", "5"]);

    // Another run's secrets, or any file named by mistake: the resume would have appended to it.
    const held = tmp.path("earlier-secrets.ndjson");
    const before = '{"kind":"webhooks","id":"w","secret":"whsec_only_copy"}\n';
    await writeFile(held, before);
    const sent = mock.imports().length;
    const refused = await cli(["import", archive, "--resume", "--secrets-out", held], {
      env: { RESONANT_API_KEY: key },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `resonant: --secrets-out ${held} exists and may hold the secrets of an earlier run: move it away or name another file\n`,
    );
    expect(mock.imports().length).toBe(sent);
    expect(await readFile(held, "utf8")).toBe(before);

    // A new file keeps the secrets of what the resume creates; cut again, the checkpoint names it, so the
    // next resume appends to it (the webhooks' second batch went in unanswered: its replay gives its secrets).
    const fresh = tmp.path("resumed-secrets.ndjson");
    await cutAt(1, key, ["import", archive, "--resume", "--secrets-out", fresh]);
    expect((await readFile(fresh, "utf8")).split("\n").filter(Boolean)).toHaveLength(5);
    const resumed = await cli(["import", archive, "--resume", "--secrets-out", fresh], {
      env: { RESONANT_API_KEY: key },
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    const lines = (await readFile(fresh, "utf8")).split("\n").filter(Boolean);
    expect(lines).toHaveLength(12);
    expect(new Set(lines.map((line) => (JSON.parse(line) as { id: string }).id)).size).toBe(12);
    expect(lines.every((line) => /"secret":"whsec_/.test(line))).toBe(true);
  });

  it("a --secrets-out FIFO: the resume writes to it and does not read it back (it waited forever, past SIGTERM)", async () => {
    const key = mock.api.createAccount().key;
    const fifo = tmp.path("secrets.fifo");
    execFileSync("mkfifo", [fifo]);
    /** A reader at the FIFO's other end: what it received once the writer closed. */
    const reader = () => {
      const child = spawn("cat", [fifo], { stdio: ["ignore", "pipe", "ignore"] });
      let received = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (received += d));
      return { child, received: new Promise<string>((resolve) => child.on("close", () => resolve(received))) };
    };
    const first = reader();
    await cutAt(4, key, ["import", archive, "--batch-size", "5", "--secrets-out", fifo]);
    await first.received;

    const second = reader();
    const resumed = await cli(["import", archive, "--resume", "--secrets-out", fifo], {
      env: { RESONANT_API_KEY: key },
    });
    if (resumed.code !== 0) second.child.kill();
    expect(resumed.code, resumed.stderr).toBe(0);
    const lines = (await second.received).split("\n").filter(Boolean);
    expect(new Set(lines.map((line) => (JSON.parse(line) as { id: string }).id)).size).toBe(12);
  });

  it("copy: a --secrets-out added on resume, after a run that kept none, that holds anything is refused", async () => {
    const target = mock.api.createAccount().key;
    const copy = ["copy", "--to-key", target, "--checkpoint", tmp.path("copy-settings.checkpoint")];
    await cutAt(4, DEMO_API_KEY, [...copy, "--batch-size", "5"]);
    const held = tmp.path("copy-earlier-secrets.ndjson");
    const before = '{"kind":"webhooks","id":"w","secret":"whsec_only_copy"}\n';
    await writeFile(held, before);
    const sent = mock.imports().length;
    const refused = await cli([...copy, "--resume", "--secrets-out", held]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `resonant: --secrets-out ${held} exists and may hold the secrets of an earlier run: move it away or name another file\n`,
    );
    expect(mock.imports().length).toBe(sent);
    expect(await readFile(held, "utf8")).toBe(before);
    const resumed = await cli([...copy, "--resume", "--secrets-out", tmp.path("copy-resumed-secrets.ndjson")]);
    expect(resumed.code, resumed.stderr).toBe(0);
  });
});
