/**
 * The run's own lock (`FILE.checkpoint.lock`, made while a run holds its checkpoint) named as `--failures` or
 * `--secrets-out`: refused before the lock is taken, saying it is the lock. It used to be refused after, as a
 * file that "exists and is not empty" or "may hold secrets", since the run had just made it. Real processes
 * against the mock.
 */
import { access } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { exportedAccount } from "./helpers.js";

const { mock, tmp, cli, archive, close } = await exportedAccount({ agents: 3, webhooks: 1 }, "lockname.json");
afterAll(() => close());

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe("an output named like the run's lock file", () => {
  it.each(["--failures", "--secrets-out"])(
    "import %s FILE.checkpoint.lock: exit 1, said to be the lock, nothing made",
    async (flag) => {
      const lock = `${archive}.checkpoint.lock`;
      const sent = mock.seen.length;
      const run = await cli(["import", archive, flag, lock], {
        env: { RESONANT_API_KEY: mock.api.createAccount().key },
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `resonant: ${flag} ${lock} is the run's lock file ${lock}, which resonant makes beside the checkpoint while the run holds it: nothing was written, name another file\n`,
      );
      expect(mock.seen.length).toBe(sent);
      expect(await exists(lock)).toBe(false);
      expect(await exists(`${archive}.checkpoint`)).toBe(false);
    },
  );

  it("copy --failures CHECKPOINT.lock: the same, for a copy's --checkpoint", async () => {
    const checkpoint = tmp.path("copy.checkpoint");
    const lock = `${checkpoint}.lock`;
    const sent = mock.seen.length;
    const run = await cli([
      "copy",
      "--to-key",
      mock.api.createAccount().key,
      "--checkpoint",
      checkpoint,
      "--failures",
      lock,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `resonant: --failures ${lock} is the run's lock file ${lock}, which resonant makes beside the checkpoint while the run holds it: nothing was written, name another file\n`,
    );
    expect(mock.seen.length).toBe(sent);
    expect(await exists(lock)).toBe(false);
  });
});
