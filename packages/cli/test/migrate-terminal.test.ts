/**
 * `migrate up` at a terminal (tmux, a real pseudo-terminal): the plan's
 * summary is shown and confirmed; no means nothing written, yes applies.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCountingMock, tempDir, type CountingMock } from "./helpers.js";
import { ledgerOf, migrationSource, MODEL_RENAME, snapshot, writeMigrations } from "./migrate-helpers.js";
import { hasTmux, terminal } from "./terminal-helpers.js";

let mock: CountingMock;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let key: string;
let term: ReturnType<typeof terminal>;

beforeAll(async () => {
  mock = await startCountingMock();
  key = mock.api.createAccount().key;
  mock.api.seed({ agents: 12 }, { key });
  tmp = await tempDir();
  await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
  term = terminal("resonant-migrate-test", { dir: tmp.dir, baseURL: mock.baseURL });
});
afterAll(async () => {
  if (hasTmux) term.close();
  await mock.close();
  await tmp.remove();
});

/** Runs `resonant migrate up` in a fresh tmux window, answers the prompt with `answer`; the screen once it exited. */
const upAnswering = (name: string, answer: string) =>
  term.run(name, ["migrate", "up", "--no-backup"], key, /EXIT:\d/, [answer, "Enter"]);

describe.skipIf(!hasTmux)("migrate up at a terminal", { timeout: 60_000 }, () => {
  it("shows the plan and asks: n writes nothing (exit 1), y applies (exit 0)", async () => {
    const before = await snapshot(mock, key);
    const no = await upAnswering("no", "n");
    expect(no).toMatch(/up a1: update 12 agents\. Go on\? \[y\/N\] n/);
    expect(no).toMatch(/not confirmed; nothing was written/);
    expect(no).toMatch(/EXIT:1/);
    expect(await snapshot(mock, key)).toEqual(before);
    expect(await ledgerOf(mock, key)).toEqual([]);

    const yes = await upAnswering("yes", "y");
    expect(yes).toMatch(/EXIT:0/);
    expect(await ledgerOf(mock, key)).toEqual([{ revision: "a1", state: "applied", direction: "up" }]);
  });

  it("a revision that fails after one applied with bars: the bars end, the applied one is said, then the error", async () => {
    await writeMigrations(tmp.path("migrations"), {
      "0002_b2.mjs": migrationSource({
        revision: "b2",
        downRevision: "a1",
        up: `throw new Error("b2 is not ready");`,
      }),
    });
    await term.run("down", ["migrate", "down", "--yes", "--no-backup"], key, /EXIT:\d/);
    const screen = await term.run("refused", ["migrate", "up", "--yes", "--no-backup"], key, /EXIT:\d/);
    expect(screen).toMatch(/EXIT:1/);
    const lines = screen.split("\n");
    const applied = lines.findIndex((l) => /^up a1: applied$/.test(l.trimEnd()));
    const error = lines.findIndex((l) =>
      /^resonant: .*0002_b2\.mjs: revision b2 up\(\) threw: b2 is not ready/.test(l),
    );
    expect(applied, screen).toBeGreaterThan(-1);
    expect(error, screen).toBeGreaterThan(applied);
    // The bar was drawn above the applied line, and never again under the error (it was redrawn there before).
    expect(
      lines.slice(error).some((l) => /records .*\/s/.test(l)),
      screen,
    ).toBe(false);
  });
});
